using BmwWallbox.Core;

namespace BmwWallbox.Rules.Tests.Hosting;

/// <summary>How start-up lines and warnings name the stations they are about: a site of thousands gets one line.</summary>
public sealed class NameListTests
{
    [Theory]
    [InlineData(1, "station 's1'")]
    [InlineData(2, "2 stations ('s1' and 's2')")]
    [InlineData(3, "3 stations ('s1', 's2' and 's3')")]
    [InlineData(10_000, "10000 stations ('s1', 's2', 's3' and 9997 more)")]
    public void A_few_stations_are_all_named_many_are_counted(int count, string expected)
        => Assert.Equal(expected, NameList.Stations([.. Enumerable.Range(1, count).Select(i => $"s{i}")]));
}
