namespace BmwWallbox.Simulation;

/// <summary>
/// Time-weighted averages of the charted values per time bucket. Buckets start at one minute and
/// grow (5 min, 15 min, ... 1 day) whenever there would be more than the chart can show, so a
/// year streams through in bounded memory. Buckets are aligned to local midnight of the first time.
/// </summary>
internal sealed class ChartBuckets(TimeZoneInfo zone, int maxBuckets)
{
    private static readonly TimeSpan[] Widths =
    [
        TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(1), TimeSpan.FromHours(3), TimeSpan.FromHours(6), TimeSpan.FromHours(12), TimeSpan.FromDays(1),
    ];

    private Dictionary<long, Bucket> _buckets = [];
    private int _width;
    private DateTimeOffset? _origin;

    public TimeSpan Width => Widths[_width];
    public DateTimeOffset Origin => _origin ?? default;

    public IEnumerable<(DateTimeOffset Start, Bucket Bucket)> Ordered =>
        _buckets.OrderBy(b => b.Key).Select(b => (Origin + b.Key * Width, b.Value));

    public void Add(in SimulationStep step)
    {
        var bucket = At(step.Time);
        var seconds = step.Duration.TotalSeconds;
        bucket.Seconds += seconds;
        bucket.SolarWs += step.Power.SolarW * seconds;
        bucket.HouseWs += step.Power.HouseW * seconds;
        bucket.CarWs += step.Power.CarW * seconds;
        bucket.LimitAs += step.LimitA * seconds;
        Coarsen();
    }

    public void RuleFired(string ruleId, DateTimeOffset at)
    {
        var firings = At(at).Firings ??= new SortedDictionary<string, int>(StringComparer.Ordinal);
        firings[ruleId] = firings.GetValueOrDefault(ruleId) + 1;
        Coarsen();
    }

    private Bucket At(DateTimeOffset time)
    {
        _origin ??= LocalTimes.ToInstant(LocalTimes.DateOf(time, zone).ToDateTime(TimeOnly.MinValue), zone);
        var index = FloorDiv((time - Origin).Ticks, Width.Ticks);
        if (!_buckets.TryGetValue(index, out var bucket)) _buckets[index] = bucket = new Bucket();
        return bucket;
    }

    private void Coarsen()
    {
        while (_buckets.Count > maxBuckets && _width < Widths.Length - 1)
        {
            var factor = Widths[_width + 1].Ticks / Widths[_width].Ticks;
            _width++;
            var merged = new Dictionary<long, Bucket>();
            foreach (var (index, bucket) in _buckets)
            {
                var into = FloorDiv(index, factor);
                if (merged.TryGetValue(into, out var existing)) existing.Merge(bucket);
                else merged[into] = bucket;
            }
            _buckets = merged;
        }
    }

    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);

    internal sealed class Bucket
    {
        public double Seconds, SolarWs, HouseWs, CarWs, LimitAs;
        public SortedDictionary<string, int>? Firings;

        public bool HasValues => Seconds > 0;
        public double SolarW => SolarWs / Seconds;
        public double HouseW => HouseWs / Seconds;
        public double CarW => CarWs / Seconds;
        public double LimitA => LimitAs / Seconds;

        public void Merge(Bucket other)
        {
            Seconds += other.Seconds;
            SolarWs += other.SolarWs;
            HouseWs += other.HouseWs;
            CarWs += other.CarWs;
            LimitAs += other.LimitAs;
            if (other.Firings is null) return;
            Firings ??= new SortedDictionary<string, int>(StringComparer.Ordinal);
            foreach (var (rule, count) in other.Firings) Firings[rule] = Firings.GetValueOrDefault(rule) + count;
        }
    }
}
