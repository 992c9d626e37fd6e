using System.Text;
using System.Text.Json.Nodes;

namespace Federation.Gateway.Tests.Fixtures.Subscriptions;

/// <summary>Reads a text/event-stream response event by event (comments skipped).</summary>
public sealed class EventStreamReader(Stream body) : IDisposable
{
    private readonly StreamReader _reader = new(body, Encoding.UTF8);

    /// <summary>Comment lines (keep-alives) seen so far.</summary>
    public int Comments { get; private set; }

    /// <summary>The next event's name and data (null data for an empty one); null at the end of the stream.</summary>
    public async Task<(string Event, JsonObject? Data)?> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        string? name = null;
        var data = new StringBuilder();
        while (await _reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith(':'))
            {
                Comments++;
            }
            else if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                name = line["event:".Length..].Trim();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                data.Append(line["data:".Length..].TrimStart());
            }
            else if (line.Length == 0 && name is not null)
            {
                return (name, data.Length > 0 ? (JsonObject)JsonNode.Parse(data.ToString())! : null);
            }
        }

        return null;
    }

    public void Dispose() => _reader.Dispose();
}
