using Jint;
using Jint.Native;
using Jint.Native.Error;
using Jint.Native.Function;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using Jint.Runtime.Interop;

namespace BmwWallbox.Rules.Engine.Scripting;

/// <summary>
/// Built-ins that build a long string in one step, checked before they build it. The sandbox's memory limit
/// is checked between statements, so <c>'x'.repeat(2**27)</c> took 256 MiB and more before it tripped, and
/// an array holding one large string many times, joined, took gigabytes. Each wrapper estimates the result
/// and refuses with a RangeError when it would be longer than <see cref="ScriptEngine.MaxTextLength"/>;
/// otherwise the original built-in runs. Pieces that script code produces (a replace callback, a toString)
/// run as statements, which the memory limit does watch.
/// </summary>
internal static class StringBudget
{
    public static void Install(ScriptEngine e)
    {
        var max = e.MaxTextLength;
        var strings = Prototype(e, "String");
        Wrap(e, strings, "repeat", (self, args) => Str(self).Length * Count(args.At(0)));
        Wrap(e, strings, "padStart", (_, args) => Count(args.At(0)));
        Wrap(e, strings, "padEnd", (_, args) => Count(args.At(0)));
        Wrap(e, strings, "concat", (self, args) => Str(self).Length + args.Sum(a => (long)Str(a).Length));
        Wrap(e, strings, "replace", (self, args) => ReplaceBound(self, args.At(0), args.At(1), all: false));
        Wrap(e, strings, "replaceAll", (self, args) => ReplaceBound(self, args.At(0), args.At(1), all: true));

        // join and toLocaleString recurse into nested arrays through toString → join; the outermost
        // call's estimate already covers the whole structure, so nested calls are not walked again.
        var nested = 0;
        long Joined(JsValue self, long separator) =>
            nested == 0 && TextSize.MayExceed(self, max, separator) ? long.MaxValue : 0;
        var arrays = Prototype(e, "Array");
        Wrap(e, arrays, "join", (self, args) => Joined(self, args.At(0).IsUndefined() ? 1 : Str(args.At(0)).Length), () => nested++, () => nested--);
        Wrap(e, arrays, "toLocaleString", (self, _) => Joined(self, 1), () => nested++, () => nested--);
        var typedArrays = Prototype(e, "Uint8Array").Prototype!; // %TypedArray%.prototype
        Wrap(e, typedArrays, "join", (self, args) => LengthOf(self) * ((args.At(0).IsUndefined() ? 1 : Str(args.At(0)).Length) + 24));
        Wrap(e, (ObjectInstance)e.Js.GetValue("String"), "raw", (_, args) =>
            args.At(0) is ObjectInstance template && TextSize.MayExceed(template.Get("raw"), max, 0) ? long.MaxValue
                : args.Skip(1).Sum(a => (long)Str(a).Length));
        var json = (ObjectInstance)e.Js.GetValue("JSON");
        Wrap(e, json, "stringify", (_, args) => TextSize.MayExceed(args.At(0), max, 2, Indent(args.At(2))) ? long.MaxValue : 0);
    }

    private static ObjectInstance Prototype(ScriptEngine e, string constructor) =>
        (ObjectInstance)((ObjectInstance)e.Js.GetValue(constructor)).Get("prototype");

    private static void Wrap(ScriptEngine e, ObjectInstance target, string name, Func<JsValue, JsValue[], long> bound,
        Action? enter = null, Action? leave = null)
    {
        var original = target.Get(name);
        var length = (int)TypeConverter.ToNumber(((ObjectInstance)original).Get("length"));
        var max = e.MaxTextLength;
        var wrapper = new ClrFunction(e.Js, name, (self, args) =>
        {
            var size = bound(self, args);
            if (size > max)
                throw new JavaScriptException((ErrorConstructor)e.Js.GetValue("RangeError"),
                    $"{name} would build a string of {(size == long.MaxValue ? "more than " + max : size)} characters; a script may build at most {max} (rules.scripts.max_memory_bytes / 2)");
            enter?.Invoke();
            try
            {
                return e.Js.Call(original, self, args);
            }
            finally
            {
                leave?.Invoke();
            }
        }, length, PropertyFlag.Configurable);
        target.DefineOwnProperty(name, new PropertyDescriptor(wrapper, writable: true, enumerable: false, configurable: true));
    }

    private static long LengthOf(JsValue value) =>
        value is ObjectInstance o ? (long)TypeConverter.ToLength(o.Get("length")) : 0;

    private static string Str(JsValue value) => value is JsString s ? s.ToString() : TypeConverter.ToString(value);

    private static long Count(JsValue value)
    {
        var n = TypeConverter.ToIntegerOrInfinity(value);
        return double.IsFinite(n) && n > 0 ? (long)Math.Min(n, int.MaxValue) : 0; // a longer string is refused anyway
    }

    private static long Indent(JsValue space) => space switch
    {
        JsNumber n => Math.Clamp((long)n.AsNumber(), 0, 10),
        JsString s => Math.Min(s.Length, 10),
        _ => 0,
    };

    /// <summary>
    /// Upper bound of replace/replaceAll with a string replacement: each match adds the replacement; $&amp;,
    /// $1… add at most the whole input over all matches; $` and $' add up to the whole input per match.
    /// </summary>
    private static long ReplaceBound(JsValue self, JsValue pattern, JsValue replacement, bool all)
    {
        if (replacement is Function) return 0;
        long input = Str(self).Length;
        var text = Str(replacement);
        var regex = pattern is ObjectInstance;
        long patternLength = regex ? 0 : Str(pattern).Length;
        var global = all || (regex && TypeConverter.ToBoolean(((ObjectInstance)pattern).Get("global")));
        var matches = global ? input / Math.Max(patternLength, 1) + 1 : 1;
        long dollars = text.Count(c => c == '$');
        var perMatchContext = text.Contains("$`", StringComparison.Ordinal) || text.Contains("$'", StringComparison.Ordinal);
        return input + matches * text.Length + (perMatchContext ? matches : 1) * dollars * input;
    }
}
