using System.Globalization;

namespace BmwWallbox.Core;

/// <summary>A signal expression that does not parse: what is wrong and where (0-based character in the text).</summary>
public sealed class SignalExpressionException(string message, int position) : FormatException(message)
{
    public int Position { get; } = position;
}

/// <summary>
/// The tiny arithmetic of derived signals and computed level-rule limits: numbers, names (a name may hold dots,
/// e.g. <c>wallbox.phases</c>: the reader decides what it means), <c>+ - * /</c>, parentheses, unary minus,
/// and <c>min(a, b, …)</c> / <c>max(a, b, …)</c>. Hand-written on purpose: the grammar is a dozen lines,
/// and a general expression library would accept far more than a config value should (and report
/// its errors in its own words instead of at the character). No value is made up: if any input has
/// none, the expression has none.
/// </summary>
public sealed class SignalExpression
{
    private readonly Func<Func<string, double?>, double?> _evaluate;

    private SignalExpression(string text, Func<Func<string, double?>, double?> evaluate, IReadOnlyList<string> names)
    {
        Text = text;
        _evaluate = evaluate;
        Names = names;
    }

    public string Text { get; }

    /// <summary>The signal names it reads, each once, in order of appearance.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The value, or null when an input has none (or a division by zero).</summary>
    public double? Evaluate(Func<string, double?> valueOf)
        => _evaluate(valueOf) is { } v && double.IsFinite(v) ? v : null;

    /// <summary>Throws <see cref="SignalExpressionException"/> with the position of the first problem.</summary>
    public static SignalExpression Parse(string text)
    {
        var parser = new Parser(text ?? "");
        var evaluate = parser.ParseAll();
        return new SignalExpression(text ?? "", evaluate, parser.Names.ToList());
    }

    private sealed class Parser(string text)
    {
        private int _pos;
        public readonly List<string> Names = [];

        public Func<Func<string, double?>, double?> ParseAll()
        {
            Skip();
            if (_pos >= text.Length) throw new SignalExpressionException("the expression is empty", 0);
            var e = Sum();
            Skip();
            if (_pos < text.Length) throw new SignalExpressionException($"unexpected '{text[_pos]}'", _pos);
            return e;
        }

        private Func<Func<string, double?>, double?> Sum()
        {
            var left = Product();
            while (true)
            {
                Skip();
                bool minus;
                if (Take('+')) minus = false;
                else if (Take('-')) minus = true;
                else return left;
                var right = Product();
                var l = left;
                left = minus ? v => l(v) - right(v) : v => l(v) + right(v);
            }
        }

        private Func<Func<string, double?>, double?> Product()
        {
            var left = Unary();
            while (true)
            {
                Skip();
                var times = Take('*');
                if (!times && !Take('/')) return left;
                var right = Unary();
                var l = left;
                left = times ? v => l(v) * right(v) : v => l(v) / right(v);
            }
        }

        private Func<Func<string, double?>, double?> Unary()
        {
            Skip();
            if (Take('-'))
            {
                var inner = Unary();
                return v => -inner(v);
            }
            return Primary();
        }

        private Func<Func<string, double?>, double?> Primary()
        {
            Skip();
            if (_pos >= text.Length) throw new SignalExpressionException("the expression ends too early", _pos);
            var c = text[_pos];
            if (Take('('))
            {
                var inner = Sum();
                Skip();
                if (!Take(')')) throw new SignalExpressionException("missing ')'", _pos);
                return inner;
            }
            if (char.IsAsciiDigit(c) || c == '.')
            {
                var start = _pos;
                while (_pos < text.Length && (char.IsAsciiDigit(text[_pos]) || text[_pos] == '.')) _pos++;
                if (!double.TryParse(text.AsSpan(start, _pos - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                    throw new SignalExpressionException($"'{text[start.._pos]}' is not a number", start);
                return _ => number;
            }
            if (char.IsAsciiLetter(c) || c == '_')
            {
                var start = _pos;
                while (_pos < text.Length && (char.IsAsciiLetterOrDigit(text[_pos]) || text[_pos] == '_'
                       || (text[_pos] == '.' && _pos + 1 < text.Length && (char.IsAsciiLetter(text[_pos + 1]) || text[_pos + 1] == '_')))) _pos++;
                var name = text[start.._pos];
                Skip();
                if (Peek('(')) return Function(name, start);
                if (!Names.Contains(name)) Names.Add(name);
                return v => v(name);
            }
            throw new SignalExpressionException($"unexpected '{c}'", _pos);
        }

        private Func<Func<string, double?>, double?> Function(string name, int at)
        {
            Func<double, double, double> pick = name switch
            {
                "min" => Math.Min,
                "max" => Math.Max,
                _ => throw new SignalExpressionException($"unknown function '{name}' (there are min and max)", at),
            };
            Take('(');
            var args = new List<Func<Func<string, double?>, double?>> { Sum() };
            while (true)
            {
                Skip();
                if (Take(',')) { args.Add(Sum()); continue; }
                if (Take(')')) break;
                throw new SignalExpressionException("missing ')' or ','", _pos);
            }
            return v =>
            {
                double? result = null;
                foreach (var arg in args)
                {
                    if (arg(v) is not { } x) return null;
                    result = result is { } r ? pick(r, x) : x;
                }
                return result;
            };
        }

        private void Skip()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos])) _pos++;
        }

        private bool Peek(char c) => _pos < text.Length && text[_pos] == c;

        private bool Take(char c)
        {
            if (!Peek(c)) return false;
            _pos++;
            return true;
        }
    }
}
