using BmwWallbox.Core;

namespace BmwWallbox.History;

/// <summary>The <c>history:</c> section of config.yaml: the charging history and how it values energy.</summary>
public sealed record HistoryOptions
{
    /// <summary>Record sessions at all.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The database file, relative to data_dir.</summary>
    public string File { get; init; } = "history.db";

    /// <summary>
    /// The signal (W) the car could take from solar; the solar part of each interval is
    /// min(car power, max(surplus, 0)). Empty: no solar accounting (solar kWh and share stay empty).
    /// </summary>
    public string SurplusSignal { get; init; } = "";

    /// <summary>The signal with the grid price per kWh. Empty: <see cref="FixedPrice"/> only.</summary>
    public string PriceSignal { get; init; } = "";

    /// <summary>Price per kWh when there is no price signal, or while it is unavailable. Null: none.</summary>
    public double? FixedPrice { get; init; }

    /// <summary>What a kWh of your own solar costs you (e.g. the feed-in tariff you give up); 0 by default.</summary>
    public double SolarPrice { get; init; }

    /// <summary>Label of the cost column, e.g. EUR.</summary>
    public string Currency { get; init; } = "EUR";

    /// <summary>
    /// Every setting that makes no sense, at its config.yaml key. <paramref name="signals"/> are the configured
    /// signal names (the ones rules can read); null: references are not checked.
    /// </summary>
    public IReadOnlyList<OptionProblem> Problems(IReadOnlyCollection<string>? signals = null)
    {
        var problems = new List<OptionProblem>();
        if (string.IsNullOrWhiteSpace(File)) problems.Add(new("history.file", "history.file is empty", "e.g. history.db (in data_dir)"));
        else if (File.IndexOfAny(Path.GetInvalidPathChars()) >= 0) problems.Add(new("history.file", $"history.file '{File}' is not a valid file name"));
        void Signal(string key, string name)
        {
            if (name.Length == 0 || signals is null || signals.Contains(name)) return;
            var near = NearestName.Find(name, signals);
            problems.Add(new($"history.{key}", $"history.{key} '{name}' is not a configured signal",
                near is null ? "add it under signals:, or leave it empty" : $"did you mean '{near}'?"));
        }
        Signal("surplus_signal", SurplusSignal);
        Signal("price_signal", PriceSignal);
        if (FixedPrice is { } price && (!double.IsFinite(price) || price < 0))
            problems.Add(new("history.fixed_price", $"history.fixed_price must be a price per kWh of 0 or more (is {price})", "e.g. 0.32"));
        if (!double.IsFinite(SolarPrice) || SolarPrice < 0)
            problems.Add(new("history.solar_price", $"history.solar_price must be 0 or more (is {SolarPrice})", "e.g. 0.08 for the feed-in tariff you give up"));
        if (Currency.Length > 8) problems.Add(new("history.currency", $"history.currency '{Currency}' is longer than 8 characters", "a short label such as EUR or €"));
        return problems;
    }
}
