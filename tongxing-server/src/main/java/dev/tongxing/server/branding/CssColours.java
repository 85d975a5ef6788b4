package dev.tongxing.server.branding;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Whether a configured value is a CSS colour, and nothing else: it goes into a stylesheet, so a value that could
 * close the declaration ({@code red; } …) must never pass. Hex ({@code #rgb}, {@code #rgba}, {@code #rrggbb},
 * {@code #rrggbbaa}), {@code rgb()}/{@code rgba()}/{@code hsl()}/{@code hsla()} with numbers, or a CSS colour name.
 */
final class CssColours {

	private static final Pattern HEX = Pattern.compile("#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})");

	private static final String NUMBER = "\\s*[+-]?(?:\\d+(?:\\.\\d+)?|\\.\\d+)(?:%|deg)?\\s*";

	private static final Pattern FUNCTION = Pattern.compile("(?:rgba?|hsla?)\\(" + NUMBER + "(?:(?:,|\\s)" + NUMBER
			+ "){2}(?:(?:,|/)" + NUMBER + ")?\\)", Pattern.CASE_INSENSITIVE);

	private static final Set<String> NAMES = Set.of("aliceblue", "antiquewhite", "aqua", "aquamarine", "azure", "beige",
			"bisque", "black", "blanchedalmond", "blue", "blueviolet", "brown", "burlywood", "cadetblue", "chartreuse",
			"chocolate", "coral", "cornflowerblue", "cornsilk", "crimson", "cyan", "darkblue", "darkcyan",
			"darkgoldenrod", "darkgray", "darkgreen", "darkgrey", "darkkhaki", "darkmagenta", "darkolivegreen",
			"darkorange", "darkorchid", "darkred", "darksalmon", "darkseagreen", "darkslateblue", "darkslategray",
			"darkslategrey", "darkturquoise", "darkviolet", "deeppink", "deepskyblue", "dimgray", "dimgrey",
			"dodgerblue", "firebrick", "floralwhite", "forestgreen", "fuchsia", "gainsboro", "ghostwhite", "gold",
			"goldenrod", "gray", "green", "greenyellow", "grey", "honeydew", "hotpink", "indianred", "indigo", "ivory",
			"khaki", "lavender", "lavenderblush", "lawngreen", "lemonchiffon", "lightblue", "lightcoral", "lightcyan",
			"lightgoldenrodyellow", "lightgray", "lightgreen", "lightgrey", "lightpink", "lightsalmon", "lightseagreen",
			"lightskyblue", "lightslategray", "lightslategrey", "lightsteelblue", "lightyellow", "lime", "limegreen",
			"linen", "magenta", "maroon", "mediumaquamarine", "mediumblue", "mediumorchid", "mediumpurple",
			"mediumseagreen", "mediumslateblue", "mediumspringgreen", "mediumturquoise", "mediumvioletred",
			"midnightblue", "mintcream", "mistyrose", "moccasin", "navajowhite", "navy", "oldlace", "olive",
			"olivedrab", "orange", "orangered", "orchid", "palegoldenrod", "palegreen", "paleturquoise",
			"palevioletred", "papayawhip", "peachpuff", "peru", "pink", "plum", "powderblue", "purple", "rebeccapurple",
			"red", "rosybrown", "royalblue", "saddlebrown", "salmon", "sandybrown", "seagreen", "seashell", "sienna",
			"silver", "skyblue", "slateblue", "slategray", "slategrey", "snow", "springgreen", "steelblue", "tan",
			"teal", "thistle", "tomato", "turquoise", "violet", "wheat", "white", "whitesmoke", "yellow",
			"yellowgreen");

	private CssColours() {
	}

	static boolean isColour(String value) {
		if (value == null) {
			return false;
		}
		String v = value.strip();
		return HEX.matcher(v).matches() || FUNCTION.matcher(v).matches() || NAMES.contains(v.toLowerCase(Locale.ROOT));
	}

}
