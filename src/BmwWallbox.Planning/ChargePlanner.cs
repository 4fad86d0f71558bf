using System.Globalization;

namespace BmwWallbox.Planning;

/// <summary>
/// Plans a charge: the cheapest way to put <see cref="PlanRequest.EnergyKwh"/> into the car by the deadline.
/// The time until the deadline is cut wherever a price or solar slot begins or ends; each piece offers energy
/// in two layers, (1) forecast solar topped up to the minimum power, at the blended price, and (2) the rest
/// up to the maximum power at the grid price. Taking the cheapest layers first (earlier first on a tie) is
/// the optimum of this linear problem, and the minimum power is kept by charging for part of a piece (at full power without solar) rather
/// than all of it below the minimum. Pure: same request, same plan.
/// </summary>
public static class ChargePlanner
{
    /// <summary>Less than this still to charge counts as reached (not worth a pause/resume cycle).</summary>
    public const double ReachedToleranceKwh = 0.05;

    private sealed record Piece(DateTimeOffset Start, DateTimeOffset End, double? Price, double PriceUsed, double SolarW)
    {
        public double Hours => (End - Start).TotalHours;
    }

    private sealed record Layer(int Piece, int Level, double PricePerKwh, double CapacityKwh);

    public static ChargePlan Plan(PlanRequest r)
    {
        if (!(r.MaxPowerW > 0) || !(r.MinPowerW > 0) || r.MinPowerW > r.MaxPowerW)
            throw new ArgumentException($"Power range must satisfy 0 < min <= max, got {r.MinPowerW}..{r.MaxPowerW} W");
        var now = Local(r.Now, r.Zone);
        var deadline = Local(r.Deadline, r.Zone);
        var by = r.ByText.Length > 0 ? r.ByText : deadline.ToString("HH:mm", CultureInfo.InvariantCulture);
        if (r.EnergyKwh < ReachedToleranceKwh)
            return new ChargePlan(now, deadline, 0, [], true, "target reached", r.Currency);
        if (deadline <= now)
            return new ChargePlan(now, deadline, r.EnergyKwh, [], false, $"deadline {by} passed", r.Currency);

        var pieces = Pieces(r, now, deadline);
        var layers = new List<Layer>();
        for (var i = 0; i < pieces.Count; i++)
        {
            var p = pieces[i];
            var solar = Math.Min(p.SolarW, r.MaxPowerW);
            var first = Math.Max(solar, r.MinPowerW);
            var firstPrice = (solar * r.SolarPrice + (first - solar) * p.PriceUsed) / first;
            layers.Add(new Layer(i, 1, firstPrice, first * p.Hours / 1000));
            if (r.MaxPowerW > first) layers.Add(new Layer(i, 2, p.PriceUsed, (r.MaxPowerW - first) * p.Hours / 1000));
        }
        var capacity = layers.Sum(l => l.CapacityKwh);
        var feasible = capacity >= r.EnergyKwh - 1e-9;

        // Cheapest first; on a tie the earlier piece, so an unsure forecast never pushes energy later than needed.
        var energy = new double[pieces.Count];
        var left = r.EnergyKwh;
        foreach (var l in layers.OrderBy(l => Math.Round(l.PricePerKwh, 9)).ThenBy(l => l.Piece).ThenBy(l => l.Level))
        {
            if (left <= 0) break;
            var take = Math.Min(l.CapacityKwh, left);
            energy[l.Piece] += take;
            left -= take;
        }

        var slots = new List<PlannedSlot>();
        for (var i = 0; i < pieces.Count; i++)
        {
            if (energy[i] <= 1e-9) continue;
            var p = pieces[i];
            var solar = Math.Min(p.SolarW, r.MaxPowerW);
            var first = Math.Max(solar, r.MinPowerW);
            var firstKwh = first * p.Hours / 1000;
            // Part of a piece: without solar at full power (same price, done sooner, never below the minimum);
            // with solar at layer 1's power (following the forecast), beyond layer 1 over the whole piece.
            var (end, power) = solar <= 0 ? (p.Start + TimeSpan.FromHours(energy[i] * 1000 / r.MaxPowerW), r.MaxPowerW)
                : energy[i] < firstKwh - 1e-9 ? (p.Start + TimeSpan.FromHours(energy[i] * 1000 / first), first)
                : (p.End, energy[i] * 1000 / p.Hours);
            var hours = (end - p.Start).TotalHours;
            var solarUsed = Math.Min(solar, power);
            var cost = (solarUsed * r.SolarPrice + (power - solarUsed) * p.PriceUsed) * hours / 1000;
            slots.Add(new PlannedSlot(p.Start, end, power, p.Price, solarUsed, cost, SlotReason(p, solarUsed, power, r.Currency)));
        }
        var summary = Summary(r, slots, feasible, capacity, by);
        return new ChargePlan(now, deadline, r.EnergyKwh, slots, feasible, summary, r.Currency);
    }

    /// <summary>The time until the deadline, cut at every price and solar slot edge.</summary>
    private static List<Piece> Pieces(PlanRequest r, DateTimeOffset now, DateTimeOffset deadline)
    {
        var cuts = new SortedSet<DateTimeOffset> { now, deadline };
        foreach (var s in r.Prices.Concat(r.Solar))
        {
            if (s.Start > now && s.Start < deadline) cuts.Add(s.Start);
            if (s.End > now && s.End < deadline) cuts.Add(s.End);
        }
        // Where the forecast does not reach, assume the dearest known price: known cheap hours are used first.
        var known = r.Prices.Where(s => s.End > now && s.Start < deadline).Select(s => s.Value).ToList();
        var unknownPrice = known.Count > 0 ? known.Max() : 0;
        var times = cuts.ToList();
        var pieces = new List<Piece>(times.Count);
        for (var i = 0; i + 1 < times.Count; i++)
        {
            var (a, b) = (Local(times[i], r.Zone), Local(times[i + 1], r.Zone));
            double? price = r.Prices.FirstOrDefault(s => s.Start <= a && a < s.End)?.Value;
            var solar = r.Solar.FirstOrDefault(s => s.Start <= a && a < s.End)?.Value ?? 0;
            pieces.Add(new Piece(a, b, price, price ?? unknownPrice, Math.Max(0, solar)));
        }
        return pieces;
    }

    private static string SlotReason(Piece p, double solarUsed, double power, string currency)
    {
        if (solarUsed >= power - 1) return $"forecast solar {Kw(solarUsed)}";
        var price = p.Price is { } known ? $"{Money(known)} {currency}/kWh" : "price not forecast yet";
        return solarUsed > 1 ? $"forecast solar {Kw(solarUsed)} + grid at {price}" : price;
    }

    private static string Summary(PlanRequest r, List<PlannedSlot> slots, bool feasible, double capacity, string by)
    {
        if (!feasible)
            return $"cannot reach {r.EnergyKwh:0.#} kWh by {by} (at most {capacity:0.#} kWh): charging at max now";
        if (r.Prices.Count == 0 && r.Solar.Count == 0)
            return $"no forecast: charging now towards {r.EnergyKwh:0.#} kWh by {by}";
        var parts = new List<string>();
        var grid = slots.Where(s => s.PowerW - s.SolarW > 1).ToList();
        if (grid.Count > 0)
        {
            var hours = grid.Sum(s => (s.End - s.Start).TotalHours);
            var prices = grid.Where(s => s.Price is not null).Select(s => s.Price!.Value).ToList();
            var range = prices.Count == 0 ? "prices not forecast yet"
                : prices.Min() == prices.Max() ? $"{Money(prices.Min())} {r.Currency}/kWh"
                : $"{Money(prices.Min())}–{Money(prices.Max())} {r.Currency}/kWh";
            parts.Add($"cheapest {Hours(hours)} before {by}: {range}");
        }
        var solarHours = slots.Where(s => s.SolarW > 1).Sum(s => (s.End - s.Start).TotalHours);
        if (solarHours > 0) parts.Add($"forecast solar {Hours(solarHours)}");
        return string.Join(", ", parts);
    }

    private static DateTimeOffset Local(DateTimeOffset t, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(t, zone);

    private static string Hours(double h)
    {
        var quarter = Math.Round(h * 4) / 4;
        return quarter >= 0.25 ? $"{quarter.ToString("0.##", CultureInfo.InvariantCulture)} h" : $"{Math.Max(1, Math.Round(h * 60)):0} min";
    }

    private static string Kw(double w) => $"{(w / 1000).ToString("0.0", CultureInfo.InvariantCulture)} kW";

    private static string Money(double v) => v.ToString("0.00##", CultureInfo.InvariantCulture);
}
