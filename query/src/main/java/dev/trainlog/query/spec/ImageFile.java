package dev.trainlog.query.spec;

/**
 * The encoded bytes of a stored image and their content type, as GridFS holds them.
 *
 * @param contentType {@code image/png} or {@code image/jpeg}
 * @param bytes the PNG or JPEG bytes exactly as logged
 */
public record ImageFile(String contentType, byte[] bytes) {}
