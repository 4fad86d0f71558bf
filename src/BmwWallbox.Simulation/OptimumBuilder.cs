namespace BmwWallbox.Simulation;

/// <summary>
/// The perfect-foresight optimum for the run's data, car and plug windows, to measure the rules against.
/// It sees every sample of a session at once and may charge any part of a sample (a charger that can start
/// and stop at any moment); its figures are therefore upper bounds (costs: lower bounds) that a controller
/// switching only at samples can miss by at most about one sample's energy per session.
/// <list type="bullet">
/// <item><b>Most solar</b>: in each plugged-in sample the car takes what the box can set (0.1 A steps between the
/// minimum and the maximum, on each phase count the box charges on: <see cref="OptimumLimits.Ranges"/>): the most at or
/// below the surplus, all of it solar, and then the least at or above it, which takes the rest of the surplus and some
/// grid energy; below the minimum power (6 A) that is the minimum. Capped by what the car can take per session. Most
/// solar <i>at the same grid energy</i> as the run adds a grid budget.
/// Both are a linear programme with one knapsack per session and a shared grid budget; ordering the samples
/// by solar per kWh drawn (the same order as solar per grid kWh, since drawn = solar + grid) and taking
/// them greedily, the last one in part, is exact for it.</item>
/// <item><b>Cheapest cost</b> for the energy each session charged: surplus is free, grid energy costs the
/// sample's price; the cheapest slots first (greedy, exact with per-sample caps; the minimum current is not
/// a constraint here, so this is a lower bound).</item>
/// </list>
/// </summary>
public sealed class OptimumBuilder(OptimumLimits limits)
{
    private readonly List<Slot> _slots = [];
    private readonly List<double> _sessionChargedWh = [];
    private bool _wasPluggedIn;
    private bool _everyPluggedSlotPriced = true;

    private readonly record struct Slot(int Session, double Hours, double SurplusW, double? Price);

    public void Add(in SimulationStep step)
    {
        if (!step.PluggedIn)
        {
            _wasPluggedIn = false;
            return;
        }
        _offers.Clear(); // (built once all steps are in)
        if (!_wasPluggedIn) _sessionChargedWh.Add(0);
        _wasPluggedIn = true;
        var hours = step.Duration.TotalHours;
        _sessionChargedWh[^1] += step.Power.CarW * hours;
        if (step.Price is null) _everyPluggedSlotPriced = false;
        _slots.Add(new Slot(_sessionChargedWh.Count - 1, hours, step.Power.SurplusW, step.Price));
    }

    /// <summary>The optimum beside the run's own figures (from <paramref name="run"/>); null when the car was never plugged in.</summary>
    public OptimumSummary? Build(SimulationSummary run)
    {
        if (_sessionChargedWh.Count == 0) return null;
        var runSolarKwh = run.ChargedFromSolarKwh;
        var runGridKwh = Math.Max(0, run.ChargedKwh - run.ChargedFromSolarKwh);
        var mostSolar = MostSolarWh(double.PositiveInfinity) / 1000;
        var atSameGrid = MostSolarWh(runGridKwh * 1000) / 1000;
        double? cheapest = _everyPluggedSlotPriced && run.CarCost is not null ? CheapestCost() : null;
        double? fixedPhases = limits.FixedPhasesMinPowerW is not null ? MostSolarWh(runGridKwh * 1000, fixedPhases: true) / 1000 : null;
        return new OptimumSummary
        {
            SolarKwh = Math.Round(mostSolar, 3),
            SolarAtSameGridKwh = Math.Round(atSameGrid, 3),
            CarGridKwh = Math.Round(runGridKwh, 3),
            SolarPercent = Percent(runSolarKwh, mostSolar),
            SolarAtSameGridPercent = Percent(runSolarKwh, atSameGrid),
            CheapestCarCost = cheapest is { } c ? Math.Round(c, 4) : null,
            CarCostPercentOfCheapest = cheapest is { } best && run.CarCost is { } paid ? Percent(paid, best) : null,
            FixedPhasesSolarAtSameGridKwh = fixedPhases is { } f ? Math.Round(f, 3) : null,
        };
    }

    /// <summary>Run ÷ optimum in percent (1 decimal); 100 when both are nothing.</summary>
    private static double? Percent(double run, double optimum) =>
        optimum > 1e-9 ? Math.Round(run / optimum * 100, 1) : run > 1e-9 ? null : 100;

    /// <summary>One way to draw in a sample: its solar and drawn energy, best solar per kWh drawn first (ties in time order).</summary>
    private readonly record struct Offer(double SolarWh, double DrawnWh, int Session, int Order)
    {
        public double Ratio { get; } = SolarWh / DrawnWh;
    }

    private sealed class BestFirst : IComparer<Offer>
    {
        public static readonly BestFirst Instance = new();

        public int Compare(Offer a, Offer b)
        {
            var byRatio = b.Ratio.CompareTo(a.Ratio);
            return byRatio != 0 ? byRatio : a.Order.CompareTo(b.Order);
        }
    }

    /// <summary>The sorted offers per choice of ranges, built once: the figures at different grid budgets share them.</summary>
    private readonly Dictionary<bool, List<Offer>> _offers = [];

    private double MostSolarWh(double gridBudgetWh, bool fixedPhases = false)
    {
        var offers = SortedOffers(fixedPhases);
        var room = Enumerable.Repeat(limits.SessionNeedWh, _sessionChargedWh.Count).ToArray();
        var grid = gridBudgetWh;
        var solar = 0.0;
        foreach (var (solarWh, drawnWh, session, _) in offers)
        {
            var gridWh = drawnWh - solarWh;
            var share = Math.Min(1, room[session] / drawnWh);
            if (gridWh > 1e-12) share = Math.Min(share, grid / gridWh);
            if (share <= 0) continue;
            solar += share * solarWh;
            room[session] -= share * drawnWh;
            grid -= share * gridWh;
        }
        return solar;
    }

    private List<Offer> SortedOffers(bool fixedPhases)
    {
        if (_offers.TryGetValue(fixedPhases, out var sorted)) return sorted;
        var ranges = fixedPhases
            ? limits.FixedPhasesRanges ?? [new PowerRange(1, limits.FixedPhasesMinPowerW ?? limits.MinPowerW, limits.MaxPowerW, 0)]
            : limits.Ranges ?? [new PowerRange(1, limits.MinPowerW, limits.MaxPowerW, 0)];
        // Each sample with surplus, as what the box can draw in it: first the most it sets without exceeding the surplus
        // (all solar), then the least it sets at or above the surplus (the rest of the surplus, with some grid energy).
        // Any mix of the two within the sample is possible, so these two offers are the sample's best solar for its grid.
        var offers = new List<Offer>(_slots.Count);
        for (var i = 0; i < _slots.Count; i++)
        {
            var slot = _slots[i];
            if (slot.SurplusW <= 0) continue;
            double? below = null, above = null;
            foreach (var range in ranges)
            {
                if (range.AtOrBelow(slot.SurplusW) is { } b && (below is null || b > below)) below = b;
                if (range.AtOrAbove(slot.SurplusW) is { } a && (above is null || a < above)) above = a;
            }
            var allSolarW = below ?? 0;
            if (allSolarW > 0) offers.Add(new Offer(allSolarW * slot.Hours, allSolarW * slot.Hours, slot.Session, i));
            if (above is { } up && slot.SurplusW > allSolarW + 1e-9)
                offers.Add(new Offer((slot.SurplusW - allSolarW) * slot.Hours, (up - allSolarW) * slot.Hours, slot.Session, i));
        }
        // Solar per kWh drawn, best first (ties in time order, so the result does not depend on the sort).
        offers.Sort(BestFirst.Instance);
        _offers[fixedPhases] = offers;
        return offers;
    }

    private double CheapestCost()
    {
        var max = limits.MaxPowerW;
        var cost = 0.0;
        foreach (var session in _slots.GroupBy(s => s.Session))
        {
            var wantedWh = _sessionChargedWh[session.Key];
            // Free surplus first, then grid energy at the sample's price, cheapest first.
            var offers = session.SelectMany(s =>
            {
                var freeWh = Math.Min(s.SurplusW, max) * s.Hours;
                return new[] { (Price: 0.0, Wh: freeWh), (Price: s.Price ?? 0, Wh: max * s.Hours - freeWh) };
            }).Where(o => o.Wh > 0).OrderBy(o => o.Price);
            foreach (var (price, wh) in offers)
            {
                if (wantedWh <= 0) break;
                var take = Math.Min(wh, wantedWh);
                cost += take / 1000 * price;
                wantedWh -= take;
            }
        }
        return cost;
    }
}

/// <summary>The perfect-foresight optimum of a run (see <see cref="OptimumBuilder"/>) and how close the run came, in %.</summary>
public sealed record OptimumSummary
{
    /// <summary>The most solar the car could have taken (any grid energy allowed).</summary>
    public double SolarKwh { get; init; }
    /// <summary>The most solar any schedule gets taking no more grid energy into the car than the run did.</summary>
    public double SolarAtSameGridKwh { get; init; }
    /// <summary>The run's car energy not covered by surplus.</summary>
    public double CarGridKwh { get; init; }
    /// <summary>The run's solar kWh in % of <see cref="SolarKwh"/>.</summary>
    public double? SolarPercent { get; init; }
    /// <summary>The run's solar kWh in % of <see cref="SolarAtSameGridKwh"/>.</summary>
    public double? SolarAtSameGridPercent { get; init; }
    /// <summary>The cheapest car cost for the energy each session charged; null without a price for every plugged-in sample.</summary>
    public double? CheapestCarCost { get; init; }
    /// <summary>The run's car cost in % of <see cref="CheapestCarCost"/> (100 = as cheap as possible).</summary>
    public double? CarCostPercentOfCheapest { get; init; }
    /// <summary>On a box that switches phases: the most solar a schedule that never leaves three phases gets with the run's grid energy.</summary>
    public double? FixedPhasesSolarAtSameGridKwh { get; init; }
}
