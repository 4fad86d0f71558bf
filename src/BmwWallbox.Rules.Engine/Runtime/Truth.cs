
namespace BmwWallbox.Rules.Engine.Runtime;

/// <summary>
/// A condition's result. Unavailable = it read data that is missing or stale: edge rules treat it as false,
/// level rules keep their current state rather than act on it.
/// </summary>
internal enum Truth { False, True, Unavailable }

internal static class TruthExtensions
{
    public static Truth Of(bool value) => value ? Truth.True : Truth.False;

    public static string Text(this Truth truth) => truth switch
    {
        Truth.True => "true",
        Truth.False => "false",
        _ => "unavailable",
    };

    public static Truth All(IEnumerable<Truth> items)
    {
        var list = items.ToList();
        return list.Contains(Truth.False) ? Truth.False : list.Contains(Truth.Unavailable) ? Truth.Unavailable : Truth.True;
    }

    public static Truth Any(IEnumerable<Truth> items)
    {
        var list = items.ToList();
        return list.Contains(Truth.True) ? Truth.True : list.Contains(Truth.Unavailable) ? Truth.Unavailable : Truth.False;
    }

    public static Truth Not(this Truth truth) => truth switch
    {
        Truth.True => Truth.False,
        Truth.False => Truth.True,
        _ => Truth.Unavailable,
    };
}
