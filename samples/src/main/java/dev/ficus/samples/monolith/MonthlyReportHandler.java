package dev.ficus.samples.monolith;

import dev.ficus.samples.http.internal.ErrorJson;
import dev.ficus.samples.http.internal.Requests;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /legacy/reports/{yyyy}/{mm}.csv}: the month's daily sales as RFC 4180 CSV
 * ({@code text/csv}, CRLF lines): header {@code date,orders,revenue_gbp}, one row per day,
 * then a {@code total} row. The figures are made up but the same on every call. Years
 * 2000..2099 and months 01..12 exist; anything else is 404. Runs on the IO thread.
 */
final class MonthlyReportHandler implements HttpHandler {

  private static final Pattern YEAR = Pattern.compile("20\\d\\d");
  private static final Pattern FILE = Pattern.compile("(0[1-9]|1[0-2])\\.csv");

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    String year = Requests.pathParam(exchange, "yyyy");
    Matcher file = FILE.matcher(Requests.pathParam(exchange, "file"));
    if (!YEAR.matcher(year).matches() || !file.matches()) {
      ErrorJson.send(exchange, StatusCodes.NOT_FOUND, "no such report");
      return;
    }
    YearMonth month = YearMonth.of(Integer.parseInt(year), Integer.parseInt(file.group(1)));
    exchange.getResponseHeaders()
        .put(Headers.CONTENT_TYPE, "text/csv;charset=utf-8")
        .put(Headers.CONTENT_DISPOSITION, "attachment; filename=\"sales-" + month + ".csv\"");
    exchange.getResponseSender().send(ByteBuffer.wrap(csv(month).getBytes(StandardCharsets.UTF_8)));
  }

  /** The report of {@code month}; a pure function of it. */
  static String csv(YearMonth month) {
    StringBuilder csv = new StringBuilder("date,orders,revenue_gbp\r\n");
    long totalOrders = 0;
    BigDecimal totalRevenue = BigDecimal.ZERO;
    for (int day = 1; day <= month.lengthOfMonth(); day++) {
      long mixed = mix(month.atDay(day).toEpochDay());
      int orders = 5 + (int) Long.remainderUnsigned(mixed, 40);
      long averageCents = 1500 + Long.remainderUnsigned(mixed >>> 16, 6000);
      BigDecimal revenue = BigDecimal.valueOf(orders * averageCents, 2);
      csv.append(month.atDay(day)).append(',').append(orders).append(',')
          .append(revenue.toPlainString()).append("\r\n");
      totalOrders += orders;
      totalRevenue = totalRevenue.add(revenue);
    }
    return csv.append("total,").append(totalOrders).append(',')
        .append(totalRevenue.toPlainString()).append("\r\n").toString();
  }

  /** SplitMix64's finaliser: a fixed, well-spread function of the day. */
  private static long mix(long value) {
    long z = value + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
