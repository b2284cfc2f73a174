package io.github.lightlys3ingest.image;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What the JPEG headers (the segments before the first scan) say about colour: the number of frame
 * components and the embedded ICC profile. Used to decode the stored pixels the way Pillow does
 * (ignoring the profile) and to colour-manage only the thumbnail.
 *
 * @param components  frame components (1 grey, 3 YCbCr/RGB, 4 CMYK/YCCK); 0 when no frame header was found
 * @param sequential  the frame is baseline or extended sequential Huffman (SOF0, SOF1): one scan pass
 *                    writes every row once, top to bottom
 * @param iccProfile  the reassembled ICC profile, or null
 * @param iccSegments offsets and lengths (marker included) of the APP2 ICC_PROFILE segments
 */
record JpegStructure(int components, boolean sequential, byte[] iccProfile, List<int[]> iccSegments) {

    private static final byte[] ICC_ID = "ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1);

    /** Walks the marker segments from SOI up to the first SOS; tolerant of garbage (stops there). */
    static JpegStructure parse(byte[] b) {
        int components = 0;
        boolean sequential = false;
        List<int[]> iccSegments = new ArrayList<>();
        List<int[]> iccChunks = new ArrayList<>();
        int pos = 2;
        while (pos + 4 <= b.length) {
            if ((b[pos] & 0xFF) != 0xFF) {
                break;
            }
            int marker = b[pos + 1] & 0xFF;
            if (marker == 0xFF) {
                pos++;
                continue;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                pos += 2;
                continue;
            }
            if (marker == 0xD9 || marker == 0xDA) {
                break;
            }
            int length = ((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF);
            if (length < 2 || pos + 2 + length > b.length) {
                break;
            }
            int data = pos + 4;
            boolean frameHeader = marker >= 0xC0 && marker <= 0xCF
                    && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (frameHeader && length >= 8) {
                components = b[data + 5] & 0xFF;
                sequential = marker == 0xC0 || marker == 0xC1;
            } else if (marker == 0xE2 && length >= 2 + ICC_ID.length + 2 && startsWithIccId(b, data)) {
                int sequence = b[data + ICC_ID.length] & 0xFF;
                int chunkStart = data + ICC_ID.length + 2;
                iccChunks.add(new int[] {sequence, chunkStart, pos + 2 + length - chunkStart});
                iccSegments.add(new int[] {pos, 2 + length});
            }
            pos += 2 + length;
        }
        return new JpegStructure(components, sequential, assemble(b, iccChunks), List.copyOf(iccSegments));
    }

    /** The same JPEG without its ICC_PROFILE segments, so that a colour-managing decoder returns the stored pixels. */
    byte[] withoutIccSegments(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length);
        int pos = 0;
        for (int[] segment : iccSegments) {
            out.write(b, pos, segment[0] - pos);
            pos = segment[0] + segment[1];
        }
        out.write(b, pos, b.length - pos);
        return out.toByteArray();
    }

    private static boolean startsWithIccId(byte[] b, int offset) {
        for (int i = 0; i < ICC_ID.length; i++) {
            if (b[offset + i] != ICC_ID[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] assemble(byte[] b, List<int[]> chunks) {
        if (chunks.isEmpty()) {
            return null;
        }
        chunks.sort(Comparator.comparingInt(c -> c[0]));
        ByteArrayOutputStream profile = new ByteArrayOutputStream();
        for (int[] chunk : chunks) {
            profile.write(b, chunk[1], chunk[2]);
        }
        return profile.toByteArray();
    }
}
