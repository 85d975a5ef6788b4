package dev.tongxing.server.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The rows of the first Markdown table after a header line, as cells (backquotes kept). */
final class ReadmeTables {

	private static final Pattern CODE = Pattern.compile("`([^`]+)`");

	private ReadmeTables() {
	}

	static List<List<String>> tableAfter(String markdown, String headerRow) {
		List<List<String>> rows = new ArrayList<>();
		String[] lines = markdown.split("\n");
		int start = -1;
		for (int i = 0; i < lines.length; i++) {
			if (lines[i].strip().equals(headerRow)) {
				start = i + 2; // header and |---| line
				break;
			}
		}
		if (start < 0) {
			throw new AssertionError("README.md has no table headed " + headerRow);
		}
		for (int i = start; i < lines.length && lines[i].startsWith("|"); i++) {
			String line = lines[i].strip();
			List<String> cells = new ArrayList<>();
			for (String cell : line.substring(1, line.length() - 1).split("\\|")) {
				cells.add(cell.strip());
			}
			rows.add(cells);
		}
		return rows;
	}

	/** The texts in backquotes of a cell. */
	static List<String> codes(String cell) {
		List<String> codes = new ArrayList<>();
		Matcher m = CODE.matcher(cell);
		while (m.find()) {
			codes.add(m.group(1));
		}
		return codes;
	}

	/** The first text in backquotes of a cell. */
	static String code(String cell) {
		List<String> codes = codes(cell);
		if (codes.isEmpty()) {
			throw new AssertionError("no `value` in table cell: " + cell);
		}
		return codes.getFirst();
	}

}
