package io.github.lightlys3ingest.lightly;

/**
 * What {@link LightlyClient#createTagIfNeeded(ImageType)} did.
 *
 * @param action  the tag that was created, or NONE
 * @param tagName the created tag's name; for NONE the newest existing tag's name, or null when the dataset has none
 */
public record TagResult(Action action, String tagName) {

    /** Which tag, if any, was created. */
    public enum Action {
        /** The dataset had no tag: the initial tag now holds every sample. */
        INITIAL,
        /** Samples were added since the last tag: a new tag holds them. */
        UPSIZE,
        /** Nothing to do: every sample is already tagged, or the dataset is empty. */
        NONE
    }
}
