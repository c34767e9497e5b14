package dev.ficus.samples.soap;

import dev.ficus.samples.soap.calculator.api.CalculatorPortType;
import dev.ficus.samples.soap.calculator.api.DivisionByZero;
import dev.ficus.samples.soap.calculator.model.Stats;
import dev.ficus.samples.soap.calculator.model.Values;
import jakarta.jws.WebService;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.DoubleSummaryStatistics;

/**
 * CalculatorService (calculator.wsdl, RPC/literal). Stateless; called on CXF worker
 * threads. Integer overflow in {@code add} is an undeclared server fault; a zero divisor
 * is the declared DivisionByZero fault; quotients are rounded to 16 significant digits.
 *
 * <p>Service, port and contract are set where {@link SoapSamples} publishes it.
 */
@WebService(endpointInterface = "dev.ficus.samples.soap.calculator.api.CalculatorPortType")
final class CalculatorEndpoint implements CalculatorPortType {

  @Override
  public int add(int a, int b) {
    return Math.addExact(a, b);
  }

  @Override
  public BigDecimal divide(BigDecimal dividend, BigDecimal divisor) throws DivisionByZero {
    if (divisor.signum() == 0) {
      var detail = new dev.ficus.samples.soap.calculator.model.DivisionByZero();
      detail.setMessage("cannot divide " + dividend.toPlainString() + " by zero");
      throw new DivisionByZero(detail.getMessage(), detail);
    }
    return dividend.divide(divisor, MathContext.DECIMAL64);
  }

  @Override
  public Stats stats(Values values) {
    DoubleSummaryStatistics summary = values.getValue().stream()
        .mapToDouble(Double::doubleValue)
        .summaryStatistics();
    if (summary.getCount() == 0) {
      throw new IllegalArgumentException("stats needs at least one value");
    }
    Stats stats = new Stats();
    stats.setCount(Math.toIntExact(summary.getCount()));
    stats.setMean(summary.getAverage());
    stats.setMax(summary.getMax());
    return stats;
  }
}
