package io.github.lightlys3ingest.storage;

import java.io.IOException;

/**
 * A key of a folder datasource leads, through a symbolic link, to a file outside the folder; thrown before
 * its bytes are read. Such a file is never read: a link must not smuggle other files into a dataset.
 */
public class OutsideRootException extends IOException {
    public OutsideRootException(String key, String target) {
        super(key + " is a symbolic link to " + target + ", outside the datasource folder");
    }
}
