package tally.bench;

import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import tally.connectors.avro.AvroSingleObjectSerde;
import tally.connectors.avro.UndecodableException;
import tally.connectors.deadletter.DeadLetter;
import tally.connectors.deadletter.DecodeAndRoute;
import tally.connectors.deadletter.Decoded;
import tally.connectors.deadletter.RecordValidator;
import tally.connectors.kafka.KafkaInputRecord;
import tally.connectors.kafka.OutboundRecord;
import tally.jobs.ledger.LedgerFunction;
import tally.jobs.ledger.TransactionRules;
import tally.schemas.BalanceUpdate;
import tally.schemas.OverdraftAlert;
import tally.schemas.Transaction;

/**
 * The proposed shape of the ledger's per-record work (see {@link FusedLedgerJob}): decode,
 * validate, apply and encode in one operator after the shuffle, with every output (balance
 * update, alert, dead letter) on the single main output as a ready {@link OutboundRecord}, so the
 * sink chains to it.
 *
 * <p>A bench prototype: it runs the committed {@link LedgerFunction} unchanged inside (same state
 * names, same counters), adapting its collector and side outputs, so the measured difference is
 * the topology alone.
 */
final class FusedLedgerFunction extends KeyedProcessFunction<String, KafkaInputRecord, OutboundRecord> {
  private static final long serialVersionUID = 1L;

  private final AvroSingleObjectSerde<Transaction> transactions = AvroSingleObjectSerde.forType(Transaction.class);
  private final AvroSingleObjectSerde<BalanceUpdate> balances = AvroSingleObjectSerde.forType(BalanceUpdate.class);
  private final AvroSingleObjectSerde<OverdraftAlert> alerts = AvroSingleObjectSerde.forType(OverdraftAlert.class);
  private final TransactionRules rules = new TransactionRules();
  private final LedgerFunction ledger;
  private final String balancesTopic;
  private final String alertsTopic;
  private final String dlqTopic;

  private transient Counter decoded;
  private transient Counter deadLetteredOnDecode;
  private transient Adapter adapter;

  FusedLedgerFunction(Duration dedupRetention, String balancesTopic, String alertsTopic, String dlqTopic) {
    this.ledger = new LedgerFunction(dedupRetention);
    this.balancesTopic = balancesTopic;
    this.alertsTopic = alertsTopic;
    this.dlqTopic = dlqTopic;
  }

  @Override
  public void open(OpenContext openContext) throws Exception {
    ledger.setRuntimeContext(getRuntimeContext());
    ledger.open(openContext);
    var metrics = getRuntimeContext().getMetricGroup().addGroup("tally");
    decoded = metrics.counter("decoded");
    deadLetteredOnDecode = metrics.counter("deadLetteredOnDecode");
    adapter = new Adapter();
  }

  @Override
  public void close() throws Exception {
    ledger.close();
  }

  @Override
  public void processElement(KafkaInputRecord record, Context ctx, Collector<OutboundRecord> out) throws Exception {
    Transaction txn;
    try {
      txn = transactions.decode(record.value);
    } catch (UndecodableException e) {
      deadLetteredOnDecode.inc();
      out.collect(DeadLetter.of(record, DecodeAndRoute.UNDECODABLE, e.getMessage()).toOutbound(dlqTopic));
      return;
    }
    RecordValidator.Rejection rejection = rules.validate(txn, record);
    if (rejection != null) {
      deadLetteredOnDecode.inc();
      out.collect(DeadLetter.of(record, rejection.reason(), rejection.detail()).toOutbound(dlqTopic));
      return;
    }
    decoded.inc();
    adapter.bind(record, ctx, out);
    ledger.processElement(new Decoded<>(txn, record), adapter.context, adapter);
  }

  /** Turns the ledger function's outputs into outbound records on the one main output. */
  private final class Adapter implements Collector<BalanceUpdate> {
    private KafkaInputRecord record;
    private Context outer;
    private Collector<OutboundRecord> out;

    final LedgerFunction.Context context = ledger.new Context() {
      @Override
      public Long timestamp() {
        return outer.timestamp();
      }

      @Override
      public TimerService timerService() {
        return outer.timerService();
      }

      @Override
      public <X> void output(OutputTag<X> tag, X value) {
        if (value instanceof OverdraftAlert alert) {
          out.collect(new OutboundRecord(alertsTopic, record.key, alerts.encode(alert)));
        } else if (value instanceof DeadLetter letter) {
          out.collect(letter.toOutbound(dlqTopic));
        } else {
          throw new IllegalStateException("unexpected side output " + tag.getId());
        }
      }

      @Override
      public String getCurrentKey() {
        return outer.getCurrentKey();
      }
    };

    void bind(KafkaInputRecord record, Context outer, Collector<OutboundRecord> out) {
      this.record = record;
      this.outer = outer;
      this.out = out;
    }

    /** The record key is the accountId here (rule 2 checked it), so its bytes are reused. */
    @Override
    public void collect(BalanceUpdate update) {
      out.collect(new OutboundRecord(balancesTopic, record.key, balances.encode(update)));
    }

    @Override
    public void close() {}
  }
}
