using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using System.Text;
using BmwWallbox.Core;
using YamlDotNet.RepresentationModel;

namespace BmwWallbox.Yaml;

/// <summary>
/// Binds a YAML node tree onto option records by snake_case name, reporting every problem into the
/// <see cref="YamlFile"/> instead of stopping at the first. Unknown keys get a nearest-name hint.
/// </summary>
/// <remarks>
/// It reads the records' properties by reflection. Under trimming (Native AOT) the caller keeps every record it
/// binds, with its public properties and parameterless constructor (<c>[DynamicDependency]</c>): the binder
/// reaches nested records through property types, which the trimmer cannot follow. Lists and dictionaries hold
/// records or strings (reference types), whose shared generic code is always in the binary.
/// </remarks>
public sealed class YamlBinder(YamlFile file)
{
    /// <summary>Keys whose YAML shape differs from the record's: handled by the caller.</summary>
    public Func<YamlBinder, Type, string, YamlNode, object, bool>? Special { get; init; }

    public T Bind<T>(YamlNode? node, string path) where T : new() => (T)BindObject(typeof(T), node, path, new T());

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "The caller keeps the bound records' properties (see remarks).")]
    public object BindObject(Type type, YamlNode? node, string path, object target)
    {
        if (node is null || IsNull(node)) return target;
        if (node is not YamlMappingNode map)
        {
            file.Error(node, $"'{path}' must be a mapping of keys", $"expected keys such as {string.Join(", ", KeysOf(type).Take(4))}");
            return target;
        }
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .ToDictionary(p => SnakeCase(p.Name), StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value ?? "";
            var keyPath = path.Length == 0 ? key : $"{path}.{key}";
            if (Special?.Invoke(this, type, key, valueNode, target) == true) continue;
            if (!properties.TryGetValue(key, out var property))
            {
                var near = NearestName.Find(key, properties.Keys);
                file.Error(keyNode, $"unknown key '{keyPath}'",
                    near is null ? $"valid keys here: {string.Join(", ", properties.Keys)}" : $"did you mean '{near}'?");
                continue;
            }
            if (TryConvert(property.PropertyType, valueNode, keyPath, property.GetValue(target), out var value))
                property.SetValue(target, value);
        }
        return target;
    }

    [UnconditionalSuppressMessage("Trimming", "IL2067", Justification = "The caller keeps the bound records' constructors (see remarks).")]
    public bool TryConvert(Type type, YamlNode node, string path, object? current, out object? value)
    {
        value = null;
        var nullable = Nullable.GetUnderlyingType(type);
        if (IsNull(node))
        {
            if (nullable is not null || !type.IsValueType) return true;
            file.Error(node, $"'{path}' needs a value", null);
            return false;
        }
        type = nullable ?? type;

        if (type == typeof(string) || type.IsPrimitive || type == typeof(TimeSpan) || type == typeof(decimal))
            return TryScalar(type, node, path, out value);

        if (type.IsGenericType && type.GetGenericTypeDefinition() is var def
            && (def == typeof(IReadOnlyList<>) || def == typeof(List<>) || def == typeof(IList<>)))
            return TryList(type.GetGenericArguments()[0], node, path, out value);

        if (type.IsGenericType && type.GetGenericTypeDefinition() is var d2
            && (d2 == typeof(IReadOnlyDictionary<,>) || d2 == typeof(Dictionary<,>)) && type.GetGenericArguments()[0] == typeof(string))
            return TryDictionary(type.GetGenericArguments()[1], node, path, out value);

        var target = current ?? Activator.CreateInstance(type)!;
        var before = file.Problems.Count;
        value = BindObject(type, node, path, target);
        return file.Problems.Count == before;
    }

    private bool TryScalar(Type type, YamlNode node, string path, out object? value)
    {
        value = null;
        if (node is not YamlScalarNode scalar)
        {
            file.Error(node, $"'{path}' must be a single value, not a {(node is YamlMappingNode ? "mapping" : "list")}", $"expected {Describe(type)}");
            return false;
        }
        var text = scalar.Value ?? "";
        var inv = CultureInfo.InvariantCulture;
        bool ok;
        if (type == typeof(string)) { value = text; ok = true; }
        else if (type == typeof(bool))
        {
            ok = text is "true" or "false" or "yes" or "no" or "on" or "off";
            value = text is "true" or "yes" or "on";
        }
        else if (type == typeof(int)) { ok = int.TryParse(text, NumberStyles.Integer, inv, out var i); value = i; }
        else if (type == typeof(long)) { ok = long.TryParse(text.Replace("_", ""), NumberStyles.Integer, inv, out var l); value = l; }
        else if (type == typeof(double)) { ok = double.TryParse(text, NumberStyles.Float, inv, out var f) && double.IsFinite(f); value = f; }
        else if (type == typeof(TimeSpan)) { ok = Durations.TryParse(text, out var t); value = t; }
        else { ok = false; }
        if (!ok) file.Error(node, $"'{path}' is '{text}', not {Describe(type)}", HintFor(type));
        return ok;
    }

    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Only reference-type elements (checked): List<__Canon> is always compiled.")]
    private bool TryList(Type element, YamlNode node, string path, out object? value)
    {
        value = null;
        if (node is not YamlSequenceNode sequence)
        {
            file.Error(node, $"'{path}' must be a list", "start each item on its own line with '- '");
            return false;
        }
        if (element.IsValueType) throw new NotSupportedException($"'{path}': lists of {element.Name} (a value type) cannot be bound under Native AOT");
        var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
        var ok = true;
        var index = 0;
        foreach (var item in sequence)
        {
            if (TryConvert(element, item, $"{path}[{index++}]", null, out var v)) list.Add(v);
            else ok = false;
        }
        value = list;
        return ok;
    }

    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Only reference-type values (checked): Dictionary<string, __Canon> is always compiled.")]
    private bool TryDictionary(Type valueType, YamlNode node, string path, out object? value)
    {
        value = null;
        if (node is not YamlMappingNode map)
        {
            file.Error(node, $"'{path}' must be a mapping of names to values", null);
            return false;
        }
        if (valueType.IsValueType) throw new NotSupportedException($"'{path}': dictionaries of {valueType.Name} (a value type) cannot be bound under Native AOT");
        var dict = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(typeof(string), valueType))!;
        var ok = true;
        foreach (var (k, v) in map.Children)
        {
            var name = ((YamlScalarNode)k).Value ?? "";
            if (TryConvert(valueType, v, $"{path}.{name}", null, out var converted)) dict[name] = converted;
            else ok = false;
        }
        value = dict;
        return ok;
    }

    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Value: null or "" or "~" or "null", Style: YamlDotNet.Core.ScalarStyle.Plain };

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "The caller keeps the bound records' properties (see remarks).")]
    public static IEnumerable<string> KeysOf(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => SnakeCase(p.Name));

    public static string SnakeCase(string pascal)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c) && i > 0) sb.Append('_');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    private static string Describe(Type type) =>
        type == typeof(bool) ? "true or false"
        : type == typeof(int) || type == typeof(long) ? "a whole number"
        : type == typeof(double) ? "a number"
        : type == typeof(TimeSpan) ? "a duration"
        : "text";

    private static string? HintFor(Type type) =>
        type == typeof(TimeSpan) ? "write durations like 15s, 2m, 1h30m or 500ms" : null;
}
