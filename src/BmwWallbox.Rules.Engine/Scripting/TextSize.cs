using Jint;
using Jint.Native;
using Jint.Native.Array;
using Jint.Native.Function;
using Jint.Native.Object;
using Jint.Runtime;

namespace BmwWallbox.Rules.Engine.Scripting;

/// <summary>
/// Tells, without building it, whether the text of a script value (its JSON, or its elements joined) could
/// be longer than a bound. Built-ins such as <c>join</c> and <c>JSON.stringify</c> build their result in
/// one step, before the sandbox's memory limit is checked again: an array holding one 1 MB string a
/// thousand times would become gigabytes. Walks own data properties only (getters, proxies and toJSON run
/// script code, which the memory limit does watch), iteratively (any depth), and stops at the bound.
/// </summary>
internal static class TextSize
{
    /// <param name="perItem">Characters added per element or property besides its own text (a separator).</param>
    /// <param name="indent">Characters added per element or property and level of nesting (JSON.stringify's space).</param>
    public static bool MayExceed(JsValue value, long max, long perItem = 1, long indent = 0)
    {
        long total = 0;
        var pending = new Stack<(JsValue Value, int Depth)>();
        pending.Push((value, 0));
        while (pending.Count > 0 && total <= max)
        {
            var (next, depth) = pending.Pop();
            var each = perItem + indent * (depth + 1);
            switch (next)
            {
                case JsString s:
                    total += s.Length + 2;
                    break;
                case ObjectInstance o when o is Function || o is not (ArrayInstance or JsObject):
                    total += 16; // functions, proxies, dates, maps, …: their text is small or comes from script code
                    break;
                case ArrayInstance array:
                    total += 2 + (long)TypeConverter.ToLength(array.Get("length")) * each;
                    PushOwnValues(array, depth, pending, ref total, 0);
                    break;
                case ObjectInstance o:
                    total += 2;
                    PushOwnValues(o, depth, pending, ref total, each);
                    break;
                default:
                    total += 24; // numbers, booleans, null, undefined
                    break;
            }
        }
        return total > max;
    }

    private static void PushOwnValues(ObjectInstance o, int depth, Stack<(JsValue, int)> pending, ref long total, long perProperty)
    {
        foreach (var (key, property) in o.GetOwnProperties())
        {
            if (!property.IsDataDescriptor() || key.IsSymbol()) continue;
            if (o is ArrayInstance && key is JsString { } name && name.ToString() == "length") continue;
            total += perProperty + (perProperty > 0 ? key.ToString().Length + 3 : 0);
            pending.Push((property.Value, depth + 1));
        }
    }
}
