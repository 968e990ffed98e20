package tally.kafka.local;

import java.io.IOException;

/**
 * Main class of the embedded broker's JVM: {@code kafka.Kafka} plus a watchdog that stops the broker when
 * the JVM that started it is gone, even after a {@code kill -9} that skipped its shutdown hooks.
 *
 * <p>The parent keeps the child's stdin pipe open for the child's whole life; the operating system closes
 * it when the parent dies, so end-of-file on stdin means "orphaned". {@code System.exit} then runs Kafka's
 * own shutdown hook, a clean stop.
 */
public final class BrokerMain {

    private BrokerMain() {
    }

    public static void main(String[] args) {
        Thread watchdog = new Thread(BrokerMain::exitWhenParentGone, "tally-parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        kafka.Kafka.main(args);
    }

    private static void exitWhenParentGone() {
        try {
            while (System.in.read() != -1) {
                // The parent never writes; just wait for end-of-file.
            }
        } catch (IOException e) {
            // A broken pipe means the same as end-of-file.
        }
        System.err.println("tally.kafka.local.BrokerMain: parent JVM gone (stdin closed), stopping the broker");
        System.exit(0);
    }
}
