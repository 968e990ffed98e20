package tally.jobs.common;

import org.apache.flink.connector.base.DeliveryGuarantee;

/** The sink's delivery guarantee, as named on the command line. */
public enum Delivery {
  EXACTLY_ONCE(DeliveryGuarantee.EXACTLY_ONCE),
  AT_LEAST_ONCE(DeliveryGuarantee.AT_LEAST_ONCE),
  NONE(DeliveryGuarantee.NONE);

  private final DeliveryGuarantee guarantee;

  Delivery(DeliveryGuarantee guarantee) {
    this.guarantee = guarantee;
  }

  public DeliveryGuarantee guarantee() {
    return guarantee;
  }

  /** Accepts "exactly-once", "EXACTLY_ONCE", ... */
  public static Delivery parse(String text) {
    return valueOf(text.trim().toUpperCase().replace('-', '_'));
  }
}
