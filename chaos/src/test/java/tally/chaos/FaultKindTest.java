package tally.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FaultKindTest {

  @Test
  void parsesTheCommandLineNamesInOrderWithoutDuplicates() {
    assertThat(FaultKind.parseList("tm-kill, JM-KILL,broker-kill,tm-kill,tm-hang,job-exception"))
        .containsExactly(
            FaultKind.TM_KILL,
            FaultKind.JM_KILL,
            FaultKind.BROKER_KILL,
            FaultKind.TM_HANG,
            FaultKind.JOB_EXCEPTION);
  }

  @Test
  void theNetworkFaultsNeedTheClustersOwnNetworkAndDiskFullItsDisks() {
    assertThat(FaultKind.values())
        .filteredOn(FaultKind::needsOwnNetwork)
        .containsExactly(
            FaultKind.PARTITION_TM,
            FaultKind.PARTITION_BROKER,
            FaultKind.PARTITION_KAFKA,
            FaultKind.SLOW_NETWORK);
    // A slow link is tc only; the partitions are nftables rules.
    assertThat(FaultKind.values())
        .filteredOn(FaultKind::needsNftables)
        .containsExactly(
            FaultKind.PARTITION_TM, FaultKind.PARTITION_BROKER, FaultKind.PARTITION_KAFKA);
    assertThat(FaultKind.values())
        .filteredOn(FaultKind::needsBrokerDisks)
        .containsExactly(FaultKind.DISK_FULL);
  }

  @Test
  void anUnknownNameSaysWhichAreKnown() {
    assertThatThrownBy(() -> FaultKind.parseList("tm-kill,disk-fill"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("disk-fill")
        .hasMessageContaining(
            "tm-kill,jm-kill,broker-kill,tm-hang,job-exception,partition-tm,partition-broker,"
                + "partition-kafka,slow-network,disk-full");
    assertThatThrownBy(() -> FaultKind.parseList(" , "))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
