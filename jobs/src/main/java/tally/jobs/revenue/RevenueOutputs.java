package tally.jobs.revenue;

import org.apache.flink.streaming.api.datastream.DataStream;
import tally.connectors.deadletter.DeadLetter;
import tally.schemas.BalanceUpdate;
import tally.schemas.MerchantRevenue;

/** What the revenue topology produces, before any sink is attached. */
public record RevenueOutputs(
    DataStream<MerchantRevenue> windows,
    DataStream<BalanceUpdate> lateDebits,
    DataStream<DeadLetter> deadLetters) {}
