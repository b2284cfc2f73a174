package io.github.lightlys3ingest.lightly;

/**
 * The parts of a dataset ({@code DatasetData}) this project looks at.
 *
 * @param id          dataset id
 * @param name        dataset name
 * @param type        {@code Images}, {@code Videos} or {@code Crops}
 * @param imgType     {@code thumbnail}, {@code meta} or {@code full}; null before the initial tag
 * @param nSamples    number of samples
 * @param sizeInBytes total size Lightly accounts for
 */
public record DatasetInfo(String id, String name, String type, String imgType, long nSamples, long sizeInBytes) {
}
