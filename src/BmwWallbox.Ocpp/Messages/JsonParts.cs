using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace BmwWallbox.Ocpp.Messages;

/// <summary>
/// Reading and writing the parts of a message inside a hand-written converter, with the context's
/// own converters (enums as their wire strings, UTC timestamps) so the wire format stays one.
/// </summary>
internal static class JsonParts
{
    public static T Read<T>(ref Utf8JsonReader reader, JsonSerializerOptions options)
        => Cache<T>.Converter(options).Read(ref reader, typeof(T), options)!;

    public static void Write<T>(Utf8JsonWriter writer, string name, T value, JsonSerializerOptions options)
    {
        writer.WritePropertyName(name);
        Cache<T>.Converter(options).Write(writer, value, options);
    }

    public static List<T> ReadList<T>(ref Utf8JsonReader reader, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
            throw new JsonException($"The JSON value could not be converted to a list of {typeof(T).Name}: an array was expected, not {reader.TokenType}");
        var converter = Cache<T>.Converter(options);
        var list = new List<T>(4);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            list.Add(converter.Read(ref reader, typeof(T), options)!);
        return list;
    }

    public static void WriteList<T>(Utf8JsonWriter writer, string name, IReadOnlyList<T> values, JsonSerializerOptions options)
    {
        var converter = Cache<T>.Converter(options);
        writer.WritePropertyName(name);
        writer.WriteStartArray();
        foreach (var value in values) converter.Write(writer, value, options);
        writer.WriteEndArray();
    }

    /// <summary>Nested objects that are not on the hot path go through the serializer.</summary>
    public static T? ReadObject<T>(ref Utf8JsonReader reader, JsonSerializerOptions options)
        => JsonSerializer.Deserialize(ref reader, (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T)));

    public static void WriteObject<T>(Utf8JsonWriter writer, string name, T value, JsonSerializerOptions options)
    {
        writer.WritePropertyName(name);
        JsonSerializer.Serialize(writer, value, (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T)));
    }

    /// <summary>A property with a null value is left out, as the context does for every message.</summary>
    public static void WriteIfSet<T>(Utf8JsonWriter writer, string name, T? value, JsonSerializerOptions options) where T : struct
    {
        if (value is { } set) Write(writer, name, set, options);
    }

    public static void WriteIfSet(Utf8JsonWriter writer, string name, int? value)
    {
        if (value is { } set) writer.WriteNumber(name, set);
    }

    public static void ExpectStartObject(ref Utf8JsonReader reader, Type type)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException($"The JSON value could not be converted to {type.Name}: an object was expected, not {reader.TokenType}");
    }

    /// <summary>The converter the options resolved for <typeparamref name="T"/>, kept per options instance.</summary>
    private static class Cache<T>
    {
        private static Entry? s_last;

        public static JsonConverter<T> Converter(JsonSerializerOptions options)
        {
            if (s_last is { } last && ReferenceEquals(last.Options, options)) return last.Converter;
            var converter = (JsonConverter<T>)options.GetTypeInfo(typeof(T)).Converter;
            s_last = new Entry(options, converter);
            return converter;
        }

        private sealed record Entry(JsonSerializerOptions Options, JsonConverter<T> Converter);
    }
}
