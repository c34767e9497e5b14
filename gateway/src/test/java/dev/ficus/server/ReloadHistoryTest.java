package dev.ficus.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ficus.config.ConfigProblem;
import dev.ficus.config.Loc;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReloadHistoryTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void aRefusalKeepsTheRunningVersionAndAnApplicationCountsItUp() {
    ReloadHistory h = new ReloadHistory("sha256:a", T0);
    List<ConfigProblem> problems = List.of(new ConfigProblem(new Loc("g.yaml", 3, 7), "bad"));

    ReloadHistory.Attempt refused = h.refused(ReloadHistory.Trigger.SIGNAL, "sha256:b", problems, T0.plusSeconds(1));
    assertThat(refused.runningVersion()).isEqualTo(1);
    assertThat(h.snapshot().running().digest()).isEqualTo("sha256:a");
    assertThat(h.snapshot().lastRefusedIsLatest()).isTrue();

    ReloadHistory.Attempt applied = h.applied(ReloadHistory.Trigger.WATCH, "sha256:c", T0.plusSeconds(2));
    ReloadHistory.Snapshot s = h.snapshot();
    assertThat(applied.runningVersion()).isEqualTo(2);
    assertThat(s.running()).isEqualTo(new ReloadHistory.Running(2, "sha256:c", T0.plusSeconds(2),
        ReloadHistory.Trigger.WATCH));
    assertThat(s.lastRefused()).isEqualTo(refused);
    assertThat(s.lastRefusedIsLatest()).isFalse();
    assertThat(s.applied()).isEqualTo(1);
    assertThat(s.refused()).isEqualTo(1);
    assertThat(s.recent()).containsExactly(applied, refused);
  }

  @Test
  void onlyTheMostRecentAttemptsAreKeptNewestFirst() {
    ReloadHistory h = new ReloadHistory("sha256:a", T0);
    for (int i = 1; i <= ReloadHistory.RECENT + 5; i++) {
      h.applied(ReloadHistory.Trigger.ADMIN, "sha256:" + i, T0.plusSeconds(i));
    }

    ReloadHistory.Snapshot s = h.snapshot();
    assertThat(s.recent()).hasSize(ReloadHistory.RECENT);
    assertThat(s.recent().get(0).digest()).isEqualTo("sha256:" + (ReloadHistory.RECENT + 5));
    assertThat(s.applied()).isEqualTo(ReloadHistory.RECENT + 5);
  }
}
