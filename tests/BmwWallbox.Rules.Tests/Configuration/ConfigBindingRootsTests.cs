using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using BmwWallbox.Rules.Configuration;

namespace BmwWallbox.Rules.Tests.Configuration;

/// <summary>
/// The binder reaches config.yaml's records by reflection over property types, which trimming cannot follow:
/// ConfigLoader.Parse keeps each record by name ([DynamicDependency]). A record added to AppConfig without
/// its line there binds in the normal build and loses its keys in the Native AOT build; this test catches it.
/// </summary>
public sealed class ConfigBindingRootsTests
{
    [Fact]
    public void Every_record_reachable_from_AppConfig_is_kept_for_trimming()
    {
        var kept = typeof(ConfigLoader).GetMethod(nameof(ConfigLoader.Parse))!
            .GetCustomAttributes<DynamicDependencyAttribute>()
            .Where(d => d.MemberTypes.HasFlag(DynamicallyAccessedMemberTypes.PublicProperties)
                && d.MemberTypes.HasFlag(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor))
            .Select(d => d.Type!)
            .ToHashSet();

        var reachable = new HashSet<Type>();
        Walk(typeof(AppConfig), reachable);
        Walk(typeof(BmwWallbox.Mqtt.ExternalBrokerOptions), reachable); // mqtt.broker's mapping form, bound by ConfigLoader itself

        Assert.Empty(reachable.Except(kept).Select(t => t.Name));
        Assert.Empty(kept.Except(reachable).Select(t => t.Name));
    }

    /// <summary>The records the binder would bind: the property types that are neither scalars nor lists nor dictionaries, and their elements.</summary>
    private static void Walk(Type type, HashSet<Type> records)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string) || type.IsPrimitive || type == typeof(TimeSpan) || type == typeof(decimal) || type.IsEnum) return;
        if (type.IsGenericType)
        {
            var arguments = type.GetGenericArguments();
            Assert.True(arguments[^1].IsClass, $"{type}: the binder's lists and dictionaries hold reference types only (Native AOT)");
            Walk(arguments[^1], records);
            return;
        }
        if (!records.Add(type)) return;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
            Walk(property.PropertyType, records);
    }
}
