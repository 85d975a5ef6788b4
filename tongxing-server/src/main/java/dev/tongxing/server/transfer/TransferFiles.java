package dev.tongxing.server.transfer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/** Import files: their SHA-256 (the key of a run's checkpoint) and their lines (UTF-8). */
public final class TransferFiles {

	private TransferFiles() {
	}

	public static String sha256(Path file) throws IOException {
		var digest = UserImport.digest();
		try (InputStream in = Files.newInputStream(file)) {
			byte[] buffer = new byte[1 << 16];
			int read;
			while ((read = in.read(buffer)) > 0) {
				digest.update(buffer, 0, read);
			}
		}
		return HexFormat.of().formatHex(digest.digest());
	}

	public static BufferedReader open(Path file) {
		try {
			return Files.newBufferedReader(file, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
