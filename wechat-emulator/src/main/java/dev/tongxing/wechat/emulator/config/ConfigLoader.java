package dev.tongxing.wechat.emulator.config;

import dev.tongxing.wechat.emulator.DefaultFixture;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads the YAML configuration. Top-level keys given in the file replace the defaults of
 * {@link DefaultFixture#config()}; keys left out keep them (so a file with only {@code faults:} adds faults
 * to the default apps and users). Inside {@code settings}, unspecified switches keep their defaults.
 */
public final class ConfigLoader {
    private ConfigLoader() {}

    static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public static EmulatorConfig load(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read emulator config " + file, e);
        }
    }

    public static EmulatorConfig parse(String yaml) {
        LoaderOptions options = new LoaderOptions();
        DumperOptions dumper = new DumperOptions();
        Object doc = new Yaml(new SafeConstructor(options), new Representer(dumper), dumper, options, new NoTimestampResolver()).load(yaml);
        EmulatorConfig config = DefaultFixture.config();
        if (doc == null) return config;
        if (!(doc instanceof Map<?, ?> map)) throw new IllegalArgumentException("emulator config must be a YAML mapping");
        Object wrapped = map.get("wechat-emulator");
        Object root = wrapped instanceof Map<?, ?> ? wrapped : map;
        return MAPPER.updateValue(config, root);
    }

    /** Keeps ISO instants (outage windows) as strings instead of turning them into dates. */
    private static final class NoTimestampResolver extends Resolver {
        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.BOOL, BOOL, "yYnNtTfFoO");
            addImplicitResolver(Tag.INT, INT, "-+0123456789");
            addImplicitResolver(Tag.FLOAT, FLOAT, "-+0123456789.");
            addImplicitResolver(Tag.MERGE, MERGE, "<");
            addImplicitResolver(Tag.NULL, NULL, "~nN\0");
            addImplicitResolver(Tag.NULL, EMPTY, null);
        }
    }
}
