namespace BmwWallbox.Mqtt.Tests;

public class FillInTextTests
{
    [Theory]
    [InlineData("a+x+b+y+c", "aXbYc")]
    [InlineData("+x++x++y+", "XXY")]
    [InlineData("+y+ then +x+, +y+ again", "Y then X, Y again")]
    [InlineData("no marks at all", "no marks at all")]
    [InlineData("", "")]
    public void Every_mark_gets_its_value_in_one_pass(string text, string expected)
    {
        var fillIn = new FillInText(text, "+x+", "+y+");
        Assert.Equal(expected, fillIn.Fill("", "X", "Y"));
        Assert.Equal("{" + expected, fillIn.Fill("{", "X", "Y"));
    }

    [Fact]
    public void A_value_that_looks_like_a_mark_is_not_filled_in_again()
        => Assert.Equal("[+y+]", new FillInText("[+x+]", "+x+", "+y+").Fill("", "+y+", "Y"));
}
