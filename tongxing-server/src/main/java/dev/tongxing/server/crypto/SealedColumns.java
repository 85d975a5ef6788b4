package dev.tongxing.server.crypto;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Columns of one table that hold values sealed by {@link PersonalDataCipher}, declared as a bean by the
 * package that owns the table, so that {@link PersonalDataRekey} ({@code pii rekey}) re-seals them under the
 * current data key after a rotation. A column named {@code *_sealed} in a table with a single-column primary key
 * needs no declaration: it is found by its name.
 *
 * @param idColumn a unique, non-null column to page through the rows by
 */
public record SealedColumns(String table, String idColumn, List<String> columns) {

	private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

	public SealedColumns {
		columns = List.copyOf(columns);
		for (String name : concat(table, idColumn, columns)) {
			if (name == null || !NAME.matcher(name).matches()) {
				throw new IllegalArgumentException("Not a plain lower-case SQL name: " + name);
			}
		}
	}

	public static SealedColumns of(String table, String idColumn, String... columns) {
		return new SealedColumns(table, idColumn, List.of(columns));
	}

	private static List<String> concat(String table, String idColumn, List<String> columns) {
		java.util.ArrayList<String> all = new java.util.ArrayList<>(columns);
		all.add(table);
		all.add(idColumn);
		return all;
	}

}
