using System.Text;
using Federation.Subgraph.GraphQL;
using GraphQL;

namespace Orders.Tests;

/// <summary>The kit's newest-first cursors (orders, notifications and reviews pages); clients keep them between releases.</summary>
public sealed class KeysetCursorTests
{
    [Fact]
    public void KeysetPosition_Should_EncodeUtcTimestampAndId_When_Formatted()
    {
        // arrange
        var position = new KeysetPosition(new DateTimeOffset(2026, 11, 25, 10, 0, 0, 123, TimeSpan.FromHours(2)), 42);

        // act
        var cursor = position.ToCursor();

        // assert
        Assert.Equal("2026-11-25T08:00:00.1230000+00:00\u001f42", Encoding.UTF8.GetString(Convert.FromBase64String(cursor)));
    }

    [Fact]
    public void KeysetPosition_Should_RoundTrip_When_CursorParsed()
    {
        // arrange
        var position = new KeysetPosition(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(6789), int.MaxValue);

        // act
        var parsed = KeysetPosition.Parse(position.ToCursor());

        // assert
        Assert.Equal(position, parsed);
    }

    [Theory]
    [InlineData("2026-11-25T08:00:00.0000000+00:00\u001f0")]
    [InlineData("2026-11-25T08:00:00.0000000+00:00\u001f2147483648")]
    [InlineData("yesterday\u001f7")]
    [InlineData("2026-11-25T08:00:00.0000000+00:00")]
    public void KeysetPosition_Should_ThrowBadCursor_When_CursorHoldsNoPosition(string text)
    {
        // arrange
        var cursor = Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

        // act
        var error = Assert.Throws<ExecutionError>(() => KeysetPosition.Parse(cursor, "before"));

        // assert
        Assert.Equal("BAD_CURSOR", error.Code);
        Assert.Contains("'before'", error.Message, StringComparison.Ordinal);
    }
}
