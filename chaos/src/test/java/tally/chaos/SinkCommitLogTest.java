package tally.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SinkCommitLogTest {

  private static final String COMMITTER =
      " org.apache.flink.connector.kafka.sink.internal.KafkaCommitter [] - ";

  @Test
  void countsRestoredFencedCommitsApartAndKeepsEveryOtherGivenUpCommitOfTheRunInAnyLogFile(
      @TempDir Path logs) throws IOException {
    Files.write(
        logs.resolve("taskmanager-1.log"),
        List.of(
            "2026-12-03 17:49:18,357 WARN "
                + COMMITTER
                + "Unable to commit transaction (CommitRequestImpl{committable=KafkaCommittable{"
                + "producerId=1, epoch=12, transactionalId='tally-chaos-1-0-0', producer=null}})"
                + " because its producer is already fenced.",
            "2026-12-03 17:49:19,001 DEBUG "
                + COMMITTER
                + "Committing Kafka transaction tally-chaos-1-0-1",
            "2026-12-03 17:49:20,100 WARN "
                + COMMITTER
                + "Unable to commit transaction (CommitRequestImpl{committable=KafkaCommittable{"
                + "producerId=9, epoch=3, transactionalId='tally-chaos-2-0-0', producer=null}})"
                + " because its producer is already fenced."));
    Files.write(
        logs.resolve("taskmanager-2.log.1"), // rolled over by log4j
        List.of(
            "2026-12-03 17:50:02,000 ERROR "
                + COMMITTER
                + "Unable to commit transaction (CommitRequestImpl{committable=KafkaCommittable{"
                + "producerId=2, epoch=40, transactionalId='tally-chaos-1-1-0',"
                + " producer=FlinkKafkaInternalProducer@1{}}}) because it's in an invalid state."));
    Files.write(logs.resolve("kafka-1.log"), List.of("transactionalId='tally-chaos-1-1-0' ERROR"));

    SinkCommitLog log = SinkCommitLog.read(logs, "tally-chaos-1");

    assertThat(log.restoredFenced()).isEqualTo(1);
    assertThat(log.others())
        .singleElement()
        .asString()
        .startsWith("taskmanager-2.log.1: 2026-12-03 17:50:02,000 ERROR  KafkaCommitter")
        .contains("invalid state");
  }

  @Test
  void noLogsDirectoryMeansNothingToReport(@TempDir Path dir) {
    assertThat(SinkCommitLog.read(dir.resolve("absent"), "tally-chaos-1"))
        .isEqualTo(SinkCommitLog.NONE);
  }
}
