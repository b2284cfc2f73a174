package io.github.lightlys3ingest.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The block reducer's arithmetic. */
class BoxReducerTest {

    @Test
    void roundedDivisionByMultiplicationEqualsIntegerDivisionForEveryChannelSum() {
        for (long count = 1; count <= 300; count++) {
            BoxReducer.RoundedDivision division = new BoxReducer.RoundedDivision(count);
            for (long sum = 0; sum <= 255 * count; sum++) {
                assertEquals((sum + count / 2) / count, division.of(sum), sum + " / " + count);
            }
        }
    }

    @Test
    void roundedDivisionIsExactForLargeBlocksToo() {
        Random random = new Random(3);
        for (int i = 0; i < 20_000; i++) {
            long count = 1 + random.nextInt(1 << (1 + random.nextInt(30)));
            BoxReducer.RoundedDivision division = new BoxReducer.RoundedDivision(count);
            long[] sums = {0, 255 * count, random.nextLong(255 * count + 1), count * random.nextInt(256) - 1};
            for (long sum : sums) {
                if (sum >= 0) {
                    assertEquals((sum + count / 2) / count, division.of(sum), sum + " / " + count);
                }
            }
        }
    }
}
