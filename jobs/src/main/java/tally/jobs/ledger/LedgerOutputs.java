package tally.jobs.ledger;

import org.apache.flink.streaming.api.datastream.DataStream;
import tally.connectors.deadletter.DeadLetter;
import tally.schemas.BalanceUpdate;
import tally.schemas.OverdraftAlert;

/** What the ledger topology produces, before any sink is attached. */
public record LedgerOutputs(
    DataStream<BalanceUpdate> balances,
    DataStream<OverdraftAlert> alerts,
    DataStream<DeadLetter> deadLetters) {}
