package moelab.models;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Model configs as JSON, and {@code key=value} overrides of any field (the CLI's {@code --set}).
 *
 * <p>JSON: {@code {"version": 1, "family": "sparse-mlp", "name": ..., "image": {...}, "mixer":
 * {...}, "moe": {...}, ...}}, the record components of the family's config in kebab case, parts as
 * nested objects, routers by {@link RouterKind#key()}. Reading is strict: a missing or unknown
 * field, a value of the wrong type or out of range fails with a message naming the field and the
 * valid ones.
 *
 * <p>Override keys are the dotted paths of the JSON fields. By family:
 *
 * <pre>
 * every config     name
 * mixer            image.{image-size, image-channels, patch-size, num-classes}
 *                  mixer.{width, token-hidden, channel-hidden, blocks}
 * sparse-mlp       as mixer, plus token-experts, re-representation, channel-moe-inside,
 *                  moe.{blocks, experts, top-k, router, capacity-factor, aux-loss-weight}
 * gmlp             lm.{vocab-size, context-length, width, hidden, blocks, tied-embeddings}
 * smlp             lm.*, spatial-experts, moe.*
 * transformer      lm.*, heads
 * transformer-moe  lm.*, heads, moe.*
 * </pre>
 *
 * A key's last segment alone is enough when it is unique in the config ({@code router} for
 * {@code moe.router}, {@code capacity-factor}); routers are {@code batch-priority} (alias
 * {@code bpr}), {@code switch}, {@code gshard}, {@code base}, {@code base-causal}, {@code hash}.
 */
public final class ModelConfigs {

    /** The JSON format's version; {@link #fromJson} refuses any other. */
    public static final int VERSION = 1;

    private ModelConfigs() {}

    /** {@code config} as pretty-printed JSON. */
    public static String toJson(ModelConfig config) {
        JsonObject json = new JsonObject();
        json.addProperty("version", VERSION);
        json.addProperty("family", config.family().key());
        write((Record) config).entrySet().forEach(e -> json.add(e.getKey(), e.getValue()));
        return new GsonBuilder().setPrettyPrinting().create().toJson(json);
    }

    /** The config {@code json} describes; see the class comment for the errors. */
    public static ModelConfig fromJson(String json) {
        JsonObject object;
        try {
            object = JsonParser.parseString(json).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("model config JSON: not a JSON object ("
                    + e.getMessage() + ")");
        }
        JsonElement version = object.remove("version");
        if (!String.valueOf(VERSION).equals(String.valueOf(version))) {
            throw new IllegalArgumentException("model config JSON: field 'version' must be "
                    + VERSION + ", got " + version);
        }
        JsonElement family = object.remove("family");
        return read(family(family != null && family.isJsonPrimitive() ? family.getAsString() : null),
                object, "");
    }

    /**
     * {@code config} with each {@code key=value} setting applied in order, e.g.
     * {@code override(config, List.of("moe.experts=8", "router=bpr", "moe.capacity-factor=2"))}.
     *
     * @throws IllegalArgumentException naming the setting and, for an unknown key, the valid keys
     */
    public static ModelConfig override(ModelConfig config, List<String> settings) {
        JsonObject json = JsonParser.parseString(toJson(config)).getAsJsonObject();
        for (String setting : settings) {
            int eq = setting.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("setting '" + setting
                        + "' is not key=value; valid keys: " + String.join(", ", keys(config)));
            }
            String key = resolve(setting.substring(0, eq).trim(), keys(config));
            String value = setting.substring(eq + 1).trim();
            String[] path = key.split("\\.");
            JsonObject parent = json;
            for (int i = 0; i < path.length - 1; i++) {
                parent = parent.getAsJsonObject(path[i]);
            }
            String field = path[path.length - 1];
            parent.add(field, typed(key, value, parent.getAsJsonPrimitive(field)));
        }
        return fromJson(json.toString());
    }

    /** The keys {@link #override} accepts for {@code config}, as dotted paths. */
    public static List<String> keys(ModelConfig config) {
        List<String> keys = new ArrayList<>();
        collectKeys("", write((Record) config), keys);
        return keys;
    }

    private static void collectKeys(String prefix, JsonObject json, List<String> keys) {
        for (Map.Entry<String, JsonElement> e : json.entrySet()) {
            if (e.getValue().isJsonObject()) {
                collectKeys(prefix + e.getKey() + ".", e.getValue().getAsJsonObject(), keys);
            } else {
                keys.add(prefix + e.getKey());
            }
        }
    }

    /** {@code key} itself, or the one valid key ending in {@code .key}. */
    private static String resolve(String key, List<String> valid) {
        if (valid.contains(key)) {
            return key;
        }
        List<String> matches = valid.stream().filter(k -> k.endsWith("." + key)).toList();
        if (matches.size() == 1) {
            return matches.get(0);
        }
        throw new IllegalArgumentException((matches.isEmpty() ? "unknown key '" : "ambiguous key '")
                + key + "'; valid keys: " + String.join(", ", matches.isEmpty() ? valid : matches));
    }

    /** {@code value} as the JSON type of the field it replaces. */
    private static JsonPrimitive typed(String key, String value, JsonPrimitive old) {
        if (old.isBoolean()) {
            if (!value.equals("true") && !value.equals("false")) {
                throw new IllegalArgumentException(key + "=" + value + ": expected true or false");
            }
            return new JsonPrimitive(Boolean.parseBoolean(value));
        }
        if (old.isNumber()) {
            try {
                return new JsonPrimitive(new java.math.BigDecimal(value));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + "=" + value + ": expected a number");
            }
        }
        return new JsonPrimitive(value);
    }

    private static Class<? extends ModelConfig> family(String key) {
        List<String> valid = new ArrayList<>();
        for (ModelConfig.Family family : ModelConfig.Family.values()) {
            if (family.key().equals(key)) {
                return family.type();
            }
            valid.add(family.key());
        }
        throw new IllegalArgumentException("model config JSON: field 'family' is "
                + (key == null ? "missing" : "'" + key + "'") + "; valid families: "
                + String.join(", ", valid));
    }

    private static JsonObject write(Record record) {
        JsonObject json = new JsonObject();
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            Object value = invoke(c, record);
            json.add(kebab(c.getName()), value instanceof Record r ? write(r)
                    : value instanceof RouterKind k ? new JsonPrimitive(k.key())
                    : value instanceof Number n ? new JsonPrimitive(n)
                    : value instanceof Boolean b ? new JsonPrimitive(b)
                    : new JsonPrimitive(String.valueOf(value)));
        }
        return json;
    }

    private static <R> R read(Class<R> type, JsonObject json, String path) {
        RecordComponent[] components = type.getRecordComponents();
        List<String> valid = Arrays.stream(components).map(c -> kebab(c.getName())).toList();
        String where = path.isEmpty() ? type.getSimpleName() : "'" + path + "'";
        for (String key : json.keySet()) {
            if (!valid.contains(key)) {
                throw new IllegalArgumentException("model config JSON: unknown field '" + path + key
                        + "'; valid fields of " + where + ": " + String.join(", ", valid));
            }
        }
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            String key = valid.get(i);
            if (!json.has(key)) {
                throw new IllegalArgumentException("model config JSON: missing field '" + path + key
                        + "'; fields of " + where + ": " + String.join(", ", valid));
            }
            values[i] = value(components[i].getType(), json.get(key), path + key);
        }
        return construct(type, components, values);
    }

    private static Object value(Class<?> type, JsonElement json, String path) {
        try {
            if (type.isRecord()) {
                return read(type, json.getAsJsonObject(), path + ".");
            }
            JsonPrimitive p = json.getAsJsonPrimitive();
            if (type == int.class) {
                return p.getAsBigDecimal().intValueExact();
            } else if (type == double.class) {
                return p.getAsBigDecimal().doubleValue();
            } else if (type == boolean.class) {
                if (!p.isBoolean()) {
                    throw new IllegalStateException("not a boolean: " + p);
                }
                return p.getAsBoolean();
            } else if (type == RouterKind.class) {
                return RouterKind.parse(p.getAsString());
            }
            return p.getAsString();
        } catch (IllegalStateException | ClassCastException | NumberFormatException
                | ArithmeticException e) {
            throw new IllegalArgumentException("model config JSON: field '" + path + "' = " + json
                    + " is not a" + (type.isRecord() ? "n object" : " valid " + type.getSimpleName()));
        }
    }

    private static <R> R construct(Class<R> type, RecordComponent[] components, Object[] values) {
        try {
            Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType)
                    .toArray(Class<?>[]::new);
            Constructor<R> constructor = type.getDeclaredConstructor(types);
            return constructor.newInstance(values);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct " + type.getName(), e);
        }
    }

    private static Object invoke(RecordComponent component, Record record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + component, e);
        }
    }

    /** {@code capacityFactor} → {@code capacity-factor}. */
    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
