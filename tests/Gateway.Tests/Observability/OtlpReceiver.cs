using System.Collections.Concurrent;
using Federation.Gateway.Tests.Fixtures;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Federation.Gateway.Tests.Observability;

/// <summary>
/// An OTLP/HTTP protobuf receiver on Kestrel (127.0.0.1, free port) that keeps the spans and log records the processes
/// export (<c>OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf</c>). The OTLP message types are not on the package source, so
/// the few fields read here are decoded with Google.Protobuf's wire reader, by the field numbers of
/// opentelemetry-proto's trace.proto, logs.proto, resource.proto and common.proto; every other field is skipped.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedSpan> _spans = new();
    private readonly ConcurrentQueue<ReceivedLog> _logs = new();
    private WebApplication? _app;

    public string Endpoint { get; private set; } = string.Empty;

    public IReadOnlyList<ReceivedSpan> Spans => [.. _spans];

    public IReadOnlyList<ReceivedLog> Logs => [.. _logs];

    public static async Task<OtlpReceiver> StartAsync()
    {
        var receiver = new OtlpReceiver();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            foreach (var span in ReadTraces(await BodyAsync(request)))
            {
                receiver._spans.Enqueue(span);
            }

            return Results.Bytes([], "application/x-protobuf");
        });
        app.MapPost("/v1/logs", async (HttpRequest request) =>
        {
            foreach (var log in ReadLogs(await BodyAsync(request)))
            {
                receiver._logs.Enqueue(log);
            }

            return Results.Bytes([], "application/x-protobuf");
        });
        app.MapPost("/v1/metrics", () => Results.Bytes([], "application/x-protobuf"));
        await app.StartAsync();
        receiver._app = app;
        receiver.Endpoint = app.Address().TrimEnd('/');
        return receiver;
    }

    /// <summary>Waits until <paramref name="done"/> holds for the spans received so far.</summary>
    public async Task<IReadOnlyList<ReceivedSpan>> WaitForSpansAsync(Func<IReadOnlyList<ReceivedSpan>, bool> done, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var spans = Spans;
            if (done(spans))
            {
                return spans;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited for {what}; received {spans.Count} spans: {string.Join(", ", spans.Select(s => $"{s.Service}:{s.Name}").Distinct())}");
            }

            await Task.Delay(200);
        }
    }

    private static async Task<byte[]> BodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    // ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
    // ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }   ScopeSpans { repeated Span spans = 2; }
    private static IEnumerable<ReceivedSpan> ReadTraces(byte[] request)
    {
        foreach (var resourceSpans in Fields(request, 1))
        {
            var service = ServiceName(resourceSpans);
            foreach (var scopeSpans in Fields(resourceSpans, 2))
            {
                foreach (var span in Fields(scopeSpans, 2))
                {
                    yield return ReadSpan(service, span);
                }
            }
        }
    }

    // Span { bytes trace_id = 1; bytes span_id = 2; bytes parent_span_id = 4; string name = 5; SpanKind kind = 6;
    //        repeated KeyValue attributes = 9; repeated Link links = 13; Status status = 15; }   Status { StatusCode code = 3; }
    private static ReceivedSpan ReadSpan(string service, byte[] span)
    {
        string traceId = "", spanId = "", parentId = "", name = "";
        var kind = 0;
        var statusCode = 0;
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        var links = new List<(string TraceId, string SpanId)>();
        var input = new CodedInputStream(span);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: traceId = Hex(input.ReadBytes()); break;
                case 2: spanId = Hex(input.ReadBytes()); break;
                case 4: parentId = Hex(input.ReadBytes()); break;
                case 5: name = input.ReadString(); break;
                case 6: kind = input.ReadEnum(); break;
                case 9: AddAttribute(attributes, input.ReadBytes().ToByteArray()); break;
                case 13:
                    var link = input.ReadBytes().ToByteArray();
                    links.Add((Hex(Fields(link, 1).FirstOrDefault()), Hex(Fields(link, 2).FirstOrDefault())));
                    break;
                case 15:
                    foreach (var code in Varints(input.ReadBytes().ToByteArray(), 3))
                    {
                        statusCode = (int)code;
                    }

                    break;
                default: input.SkipLastField(); break;
            }
        }

        return new ReceivedSpan(service, traceId, spanId, parentId, name, (SpanKind)kind, attributes, links, statusCode);
    }

    // ExportLogsServiceRequest { repeated ResourceLogs resource_logs = 1; }   ResourceLogs { Resource resource = 1; repeated ScopeLogs scope_logs = 2; }
    // ScopeLogs { repeated LogRecord log_records = 2; }   LogRecord { AnyValue body = 5; bytes trace_id = 9; bytes span_id = 10; }
    private static IEnumerable<ReceivedLog> ReadLogs(byte[] request)
    {
        foreach (var resourceLogs in Fields(request, 1))
        {
            var service = ServiceName(resourceLogs);
            foreach (var scopeLogs in Fields(resourceLogs, 2))
            {
                foreach (var record in Fields(scopeLogs, 2))
                {
                    var body = Fields(record, 5).Select(AnyValue).FirstOrDefault() ?? "";
                    yield return new ReceivedLog(service, Hex(Fields(record, 9).FirstOrDefault()), Hex(Fields(record, 10).FirstOrDefault()), body);
                }
            }
        }
    }

    // Resource { repeated KeyValue attributes = 1; }
    private static string ServiceName(byte[] resourceOwner)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var resource in Fields(resourceOwner, 1))
        {
            foreach (var attribute in Fields(resource, 1))
            {
                AddAttribute(attributes, attribute);
            }
        }

        return attributes.GetValueOrDefault("service.name", "");
    }

    // KeyValue { string key = 1; AnyValue value = 2; }
    private static void AddAttribute(Dictionary<string, string> attributes, byte[] keyValue)
    {
        var key = Fields(keyValue, 1).Select(b => System.Text.Encoding.UTF8.GetString(b)).FirstOrDefault();
        if (key is not null)
        {
            attributes[key] = Fields(keyValue, 2).Select(AnyValue).FirstOrDefault() ?? "";
        }
    }

    // AnyValue { oneof { string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4; ... } }
    private static string AnyValue(byte[] value)
    {
        var input = new CodedInputStream(value);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: return input.ReadString();
                case 2: return input.ReadBool() ? "true" : "false";
                case 3: return input.ReadInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
                case 4: return input.ReadDouble().ToString(System.Globalization.CultureInfo.InvariantCulture);
                default: input.SkipLastField(); break;
            }
        }

        return "";
    }

    /// <summary>The length-delimited values of field <paramref name="number"/> of a message.</summary>
    private static IEnumerable<byte[]> Fields(byte[] message, int number)
    {
        var input = new CodedInputStream(message);
        var found = new List<byte[]>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == number && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                found.Add(input.ReadBytes().ToByteArray());
            }
            else
            {
                input.SkipLastField();
            }
        }

        return found;
    }

    private static IEnumerable<ulong> Varints(byte[] message, int number)
    {
        var input = new CodedInputStream(message);
        var found = new List<ulong>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == number && WireFormat.GetTagWireType(tag) == WireFormat.WireType.Varint)
            {
                found.Add(input.ReadUInt64());
            }
            else
            {
                input.SkipLastField();
            }
        }

        return found;
    }

    private static string Hex(ByteString bytes) => Convert.ToHexStringLower(bytes.Span);

    private static string Hex(byte[]? bytes) => bytes is null ? "" : Convert.ToHexStringLower(bytes);

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}

/// <summary>OTLP's <c>Span.SpanKind</c>.</summary>
public enum SpanKind
{
    Unspecified,
    Internal,
    Server,
    Client,
    Producer,
    Consumer,
}

public sealed record ReceivedSpan(
    string Service,
    string TraceId,
    string SpanId,
    string ParentSpanId,
    string Name,
    SpanKind Kind,
    IReadOnlyDictionary<string, string> Attributes,
    IReadOnlyList<(string TraceId, string SpanId)> Links,
    int StatusCode);

public sealed record ReceivedLog(string Service, string TraceId, string SpanId, string Body);
