package io.github.lightlys3ingest.image;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The image statistics Lightly's uploader computed (see the test resource lightly-api/NOTES.md), named as in the
 * API's {@code SampleMetaData}. Channel arrays are R, G, B; values are computed on pixel/255.
 *
 * @param shape        [height, width, 3] of the stored (unrotated) pixels
 * @param mean         per-channel mean
 * @param std          per-channel population standard deviation
 * @param sumOfValues  per-channel sum
 * @param sumOfSquares per-channel sum of squares
 * @param snr          mean / std over all raw 0..255 values of all channels; 0 when std is 0
 * @param sharpness    population std of the Laplacian-filtered grey image
 * @param sizeInBytes  the original object's size
 */
@JsonPropertyOrder({"shape", "mean", "std", "sumOfValues", "sumOfSquares", "snr", "sharpness", "sizeInBytes"})
public record SampleMetaData(int[] shape, double[] mean, double[] std, double[] sumOfValues,
                             double[] sumOfSquares, double snr, double sharpness, long sizeInBytes) {
}
