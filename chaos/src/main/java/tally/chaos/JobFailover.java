package tally.chaos;

import java.time.Instant;

/**
 * A failover Flink recorded for the job (an entry of its exception history).
 *
 * @param exception the first line of the exception ("java.lang.X: message"), or its class name
 */
record JobFailover(Instant at, String exception) {}
