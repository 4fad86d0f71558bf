using System.Buffers;
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

    /// <summary>
    /// An enum by its wire name, compared as UTF-8 bytes: the serializer's enum converter turns each name
    /// into UTF-16 and looks it up in a concurrent dictionary, a quarter of reading a TransactionEvent.
    /// A name not in the table (escaped, in another case, a number) is left to that converter.
    /// </summary>
    public static T ReadEnum<T>(ref Utf8JsonReader reader, JsonSerializerOptions options) where T : struct, Enum
    {
        if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            var name = reader.ValueSpan;
            foreach (var known in EnumNames<T>.Of(options))
                if (name.SequenceEqual(known.Utf8)) return known.Value;
        }
        return Read<T>(ref reader, options);
    }

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

    /// <summary>Each value of <typeparamref name="T"/> with its name as the options' converter writes it, kept per options instance.</summary>
    private static class EnumNames<T> where T : struct, Enum
    {
        private static Entry? s_last;

        public static EnumName<T>[] Of(JsonSerializerOptions options)
        {
            if (s_last is { } last && ReferenceEquals(last.Options, options)) return last.Names;
            var converter = Cache<T>.Converter(options);
            var buffer = new ArrayBufferWriter<byte>();
            using var writer = new Utf8JsonWriter(buffer);
            var names = new List<EnumName<T>>();
            foreach (var value in Enum.GetValues<T>())
            {
                buffer.ResetWrittenCount();
                writer.Reset(buffer);
                converter.Write(writer, value, options);
                writer.Flush();
                if (buffer.WrittenSpan is [(byte)'"', .. var name, (byte)'"'] && !name.Contains((byte)'\\'))
                    names.Add(new EnumName<T>(name.ToArray(), value));
            }
            var entry = new Entry(options, [.. names]);
            s_last = entry;
            return entry.Names;
        }

        private sealed record Entry(JsonSerializerOptions Options, EnumName<T>[] Names);
    }

    private sealed record EnumName<T>(byte[] Utf8, T Value);

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
