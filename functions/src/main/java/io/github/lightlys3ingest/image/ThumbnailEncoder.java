package io.github.lightlys3ingest.image;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.DataBuffer;
import java.awt.image.DirectColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import net.coobird.thumbnailator.Thumbnails;

/** Finishes a thumbnail from the reduced image: final resize, colour management, EXIF orientation, encoding. */
final class ThumbnailEncoder {
    static final String JPEG = "image/jpeg";
    static final String PNG = "image/png";
    private static final float JPEG_QUALITY = 0.9f;

    private ThumbnailEncoder() {
    }

    /** Width and height that fit in a box x box square keeping the aspect ratio, never larger than the image. */
    static int[] fit(int width, int height, int box) {
        if (width <= box && height <= box) {
            return new int[] {width, height};
        }
        double scale = Math.min((double) box / width, (double) box / height);
        return new int[] {Math.max(1, (int) Math.round(width * scale)), Math.max(1, (int) Math.round(height * scale))};
    }

    /**
     * @param reduced      the box-reduced stored pixels (unrotated)
     * @param targetWidth  thumbnail width before orientation
     * @param targetHeight thumbnail height before orientation
     * @param orientation  EXIF orientation 1..8
     * @param iccProfile   the RGB profile the stored pixels are in, or null for sRGB
     * @param thumbFormat  requested extension (jpg, png, webp...)
     */
    static Thumbnail encode(BufferedImage reduced, int targetWidth, int targetHeight, int orientation,
                            byte[] iccProfile, String thumbFormat) throws IOException {
        BufferedImage image = reduced;
        if (image.getWidth() != targetWidth || image.getHeight() != targetHeight) {
            image = Thumbnails.of(image).forceSize(targetWidth, targetHeight).asBufferedImage();
        }
        image = toSrgb(image, iccProfile);
        image = orient(image, orientation);
        boolean alpha = image.getColorModel().hasAlpha();
        String contentType = contentTypeFor(thumbFormat, alpha);
        byte[] bytes = contentType.equals(PNG) ? png(image) : jpeg(alpha ? flatten(image) : image);
        return new Thumbnail(bytes, image.getWidth(), image.getHeight(), contentType);
    }

    /** JPEG for jpg/jpeg, PNG for png; formats ImageIO cannot write well become PNG with alpha, else JPEG. */
    static String contentTypeFor(String thumbFormat, boolean alpha) {
        String format = thumbFormat == null ? "" : thumbFormat.toLowerCase(Locale.ROOT);
        return switch (format) {
            case "jpg", "jpeg" -> JPEG;
            case "png" -> PNG;
            default -> alpha ? PNG : JPEG;
        };
    }

    /** Applies the EXIF orientation: the result is what a viewer honouring the tag displays. */
    static BufferedImage orient(BufferedImage image, int orientation) {
        if (orientation < 2 || orientation > 8) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        boolean transpose = orientation >= 5;
        int outW = transpose ? h : w;
        int outH = transpose ? w : h;
        int[] src = image.getRGB(0, 0, w, h, null, 0, w);
        int[] dst = new int[src.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int dx;
                int dy;
                switch (orientation) {
                    case 2 -> { dx = w - 1 - x; dy = y; }
                    case 3 -> { dx = w - 1 - x; dy = h - 1 - y; }
                    case 4 -> { dx = x; dy = h - 1 - y; }
                    case 5 -> { dx = y; dy = x; }
                    case 6 -> { dx = h - 1 - y; dy = x; }
                    case 7 -> { dx = h - 1 - y; dy = w - 1 - x; }
                    default -> { dx = y; dy = w - 1 - x; }
                }
                dst[dy * outW + dx] = src[y * w + x];
            }
        }
        BufferedImage out = new BufferedImage(outW, outH,
                image.getColorModel().hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, outW, outH, dst, 0, outW);
        return out;
    }

    /**
     * Reinterprets the pixels as being in the embedded RGB profile and converts them to sRGB. A profile
     * Java cannot use leaves the pixels as they are: a slightly off thumbnail beats no sample.
     */
    private static BufferedImage toSrgb(BufferedImage image, byte[] iccProfile) {
        if (iccProfile == null || image.getColorModel().hasAlpha()) {
            return image;
        }
        try {
            ICC_Profile profile = ICC_Profile.getInstance(iccProfile);
            if (profile.getColorSpaceType() != ColorSpace.TYPE_RGB) {
                return image;
            }
            BufferedImage rgb = image.getType() == BufferedImage.TYPE_INT_RGB ? image
                    : copy(image, BufferedImage.TYPE_INT_RGB);
            DirectColorModel tagged = new DirectColorModel(new ICC_ColorSpace(profile), 24,
                    0xFF0000, 0xFF00, 0xFF, 0, false, DataBuffer.TYPE_INT);
            BufferedImage source = new BufferedImage(tagged, rgb.getRaster(), false, null);
            BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
            return new ColorConvertOp(null).filter(source, out);
        } catch (RuntimeException e) {
            return image;
        }
    }

    private static BufferedImage flatten(BufferedImage image) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static BufferedImage copy(BufferedImage image, int type) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), type);
        out.setRGB(0, 0, image.getWidth(), image.getHeight(),
                image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth()), 0,
                image.getWidth());
        return out;
    }

    private static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            if (!ImageIO.write(image, "png", stream)) {
                throw new IOException("no PNG writer");
            }
        }
        return out.toByteArray();
    }

    private static byte[] jpeg(BufferedImage image) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(JPEG_QUALITY);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
