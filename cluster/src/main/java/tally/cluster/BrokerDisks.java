package tally.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each broker's data dir on a filesystem of its own and of a fixed size: an ext4 image under the
 * broker's dir ({@code kafka-N/disk.img}, sparse, so it takes only what is written), loop-mounted
 * on {@code kafka-N/data}. A disk can then really fill up ({@link #fill}), as a broker's volume
 * does in production, and be given its space back ({@link #free}). The image stays when the cluster
 * goes down, so the brokers' data survives a restart as before.
 *
 * <p>Needs root and loop devices; {@link #unavailableReason()} says what is missing, and the
 * brokers then write to the work dir's filesystem.
 */
public final class BrokerDisks {
  private static final Logger LOG = LoggerFactory.getLogger(BrokerDisks.class);

  /** Room for the cluster's topics with ample margin; a disk-full fault fills what is left. */
  public static final long SIZE_BYTES = 2L << 30;

  private static final String IMAGE = "disk.img";
  private static final String FILLER = "tally-disk-full.filler";

  private final ClusterLayout layout;

  public BrokerDisks(ClusterLayout layout) {
    this.layout = layout;
  }

  /** Why size-limited disks cannot be used here, or empty when they can. */
  public static Optional<String> unavailableReason() {
    if (!ClusterNetwork.isRoot()) {
      return Optional.of("size-limited broker disks need root");
    }
    if (!Files.exists(Path.of("/dev/loop-control"))) {
      return Optional.of("size-limited broker disks need loop devices");
    }
    for (String tool : List.of("/usr/sbin/mkfs.ext4", "/usr/bin/mount", "/usr/bin/fallocate")) {
      if (!Files.isExecutable(Path.of(tool))) {
        return Optional.of("size-limited broker disks need " + tool);
      }
    }
    return Optional.empty();
  }

  /** Whether broker {@code node} was set up with its own disk (its image exists). */
  public boolean has(int node) {
    return Files.isRegularFile(image(node));
  }

  /**
   * Creates the image of broker {@code node} when its data dir is new, and mounts it. A data dir
   * that already holds data without an image (a cluster from before disks) is left as it is:
   * returns false then.
   */
  public boolean mount(int node) {
    Path data = layout.brokerDataDir(node);
    try {
      Files.createDirectories(data);
      if (isMounted(data)) {
        return true;
      }
      if (!has(node)) {
        try (var entries = Files.list(data)) {
          if (entries.findAny().isPresent()) {
            return false;
          }
        }
        try (var file = new java.io.RandomAccessFile(image(node).toFile(), "rw")) {
          file.setLength(SIZE_BYTES);
        }
        // -m 0: the broker runs as root and would otherwise write into the 5 % reserved for it.
        SystemCommand.run(List.of("mkfs.ext4", "-q", "-m", "0", "-F", image(node).toString()));
      }
      SystemCommand.run(List.of("mount", "-o", "loop", image(node).toString(), data.toString()));
      Files.deleteIfExists(data.resolve("lost+found"));
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot set up the disk of kafka-" + node, e);
    }
  }

  /** Unmounts every broker's disk (the image stays); quiet for those not mounted. */
  public void unmountAll() {
    for (int node = 1; node <= ClusterPorts.BROKERS; node++) {
      Path data = layout.brokerDataDir(node);
      if (isMounted(data)) {
        try {
          SystemCommand.run(List.of("umount", data.toString()));
        } catch (RuntimeException e) {
          LOG.warn("Could not unmount the disk of kafka-{}: {}", node, e.getMessage());
        }
      }
    }
  }

  /** Fills broker {@code node}'s disk to the last block; returns the bytes taken. */
  public long fill(int node) {
    Path data = layout.brokerDataDir(node);
    if (!isMounted(data)) {
      throw new IllegalStateException("kafka-" + node + " has no disk of its own to fill");
    }
    // Kafka ignores a plain file in its log dir; the fault frees it before the broker restarts.
    Path filler = data.resolve(FILLER);
    try {
      // fallocate cannot take the very last blocks (the file's own extent tree needs some): it
      // takes all but a few MiB at once, and plain writes take the rest until the disk refuses.
      long usable = Files.getFileStore(data).getUsableSpace();
      long bulk = Math.max(0, usable - (16L << 20));
      SystemCommand.run(List.of("fallocate", "-l", Long.toString(bulk), filler.toString()));
      long taken = bulk;
      ByteBuffer chunk = ByteBuffer.allocate(1 << 16);
      try (FileChannel channel =
          FileChannel.open(filler, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
        while (true) {
          chunk.clear();
          taken += channel.write(chunk);
        }
      } catch (IOException full) {
        // ENOSPC: the disk is full, as intended
      }
      LOG.info("Disk of kafka-{} filled ({} MiB taken)", node, taken >> 20);
      return taken;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot fill the disk of kafka-" + node, e);
    }
  }

  /** Gives broker {@code node}'s disk its space back. */
  public void free(int node) {
    try {
      if (Files.deleteIfExists(layout.brokerDataDir(node).resolve(FILLER))) {
        LOG.info("Disk of kafka-{} has its space back", node);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot free the disk of kafka-" + node, e);
    }
  }

  /** Free bytes on broker {@code node}'s filesystem. */
  public long usableBytes(int node) {
    try {
      return Files.getFileStore(layout.brokerDataDir(node)).getUsableSpace();
    } catch (IOException e) {
      return -1;
    }
  }

  public static boolean isFiller(Path file) {
    return file.getFileName().toString().equals(FILLER);
  }

  private Path image(int node) {
    return layout.brokerDir(node).resolve(IMAGE);
  }

  private static boolean isMounted(Path dir) {
    try {
      String target = dir.toRealPath().toString();
      return Files.readAllLines(Path.of("/proc/self/mounts")).stream()
          .map(line -> line.split(" "))
          .anyMatch(fields -> fields.length > 1 && fields[1].equals(target));
    } catch (IOException e) {
      return false;
    }
  }
}
