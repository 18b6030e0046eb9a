package dev.klinika.telephony;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.klinika.KlinikaTest;

/**
 * The full check: a day of 10,000 PBX events applied once in order, and twice
 * shuffled, end in the same calls; reports how long the 20,000 shuffled applications
 * took.
 */
@KlinikaTest
@Tag("bench")
class CallReplayBenchmark extends CallsTests {

	@Test
	void aDayOfTenThousandEventsReplayedTwiceShuffledEndsAsOnceInOrder() throws Exception {
		long took = replayTwiceShuffled(10_000);
		String report = String.format("Replayed 10,000 events twice, shuffled (20,000 applications): %d ms, "
				+ "%.2f ms per event; baseline, the same 10,000 once in order: %d ms, %.2f ms per event (ratio %.2f); "
				+ "same calls, callback tasks and leads.%n", took, took / 20_000.0, this.inOrderMillis,
				this.inOrderMillis / 10_000.0, (took / 20_000.0) / (this.inOrderMillis / 10_000.0));
		Path out = Path.of("target/bench/call-replay.md");
		Files.createDirectories(out.getParent());
		Files.writeString(out, report);
		System.out.println(report);
	}

}
