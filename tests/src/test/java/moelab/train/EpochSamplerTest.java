package moelab.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.ArrayDataset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class EpochSamplerTest {

    @Test
    void orderIsASeededPermutationThatChangesEveryEpoch() {
        long[] a = EpochSampler.order(7, 0, 50);
        assertThat(Arrays.stream(a).sorted().toArray())
                .containsExactly(java.util.stream.LongStream.range(0, 50).toArray());
        assertThat(EpochSampler.order(7, 0, 50)).containsExactly(a);
        assertThat(EpochSampler.order(7, 1, 50)).isNotEqualTo(a);
        assertThat(EpochSampler.order(8, 0, 50)).isNotEqualTo(a);
    }

    @Test
    void fullBatchesOnlyAndSkipResumesPartWay() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ArrayDataset data = TinyModels.images(manager, 10, 3, 1);
            assertThat(EpochSampler.batchesPerEpoch(10, 3)).isEqualTo(3); // last example dropped
            List<List<Long>> all = batches(new EpochSampler(4, 2, 3, 0).sample(data));
            assertThat(all).hasSize(3).allSatisfy(b -> assertThat(b).hasSize(3));
            List<List<Long>> rest = batches(new EpochSampler(4, 2, 3, 1).sample(data));
            assertThat(rest).containsExactlyElementsOf(all.subList(1, 3));
        }
    }

    private static List<List<Long>> batches(Iterator<List<Long>> it) {
        List<List<Long>> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
