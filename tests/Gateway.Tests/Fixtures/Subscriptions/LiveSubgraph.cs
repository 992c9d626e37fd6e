using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using GraphQL;
using GraphQL.SystemTextJson;
using GraphQL.Types;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Federation.Gateway.Tests.Fixtures.Subscriptions;

public sealed record ProductChange(int Sequence, string Upc, string? Note = null);

/// <summary>
/// A subgraph declaring <c>Subscription.productChanged</c> (Fixtures/Subscriptions/live.graphql), on Kestrel
/// (127.0.0.1, free port), serving GraphQL over SSE as graphql-sse's distinct connections mode: graphql-dotnet executes
/// the gateway's subscription document and every event the test publishes is written as <c>event: next</c>. Closing the
/// response disposes the graphql-dotnet subscription, which <see cref="Unsubscribed"/> counts.
/// </summary>
public sealed class LiveSubgraph : IAsyncDisposable
{
    private static readonly GraphQLSerializer Serializer = new();

    private readonly Lock _sync = new();
    private readonly List<Subscriber> _subscribers = [];
    private readonly ISchema _schema;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication? _app;
    private int _unsubscribed;

    private LiveSubgraph() => _schema = BuildSchema(this);

    public string Url { get; private set; } = string.Empty;

    /// <summary>Subscriptions open now.</summary>
    public int Active
    {
        get
        {
            lock (_sync)
            {
                return _subscribers.Count;
            }
        }
    }

    /// <summary>Subscriptions ended by the subscriber (the gateway closed the stream).</summary>
    public int Unsubscribed => Volatile.Read(ref _unsubscribed);

    /// <summary>The headers of every request the gateway sent, newest last.</summary>
    public ConcurrentQueue<IHeaderDictionary> Requests { get; } = new();

    public static async Task<LiveSubgraph> StartAsync()
    {
        var live = new LiveSubgraph();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        live._app = builder.Build();
        live._app.MapPost("/graphql", live.HandleAsync);
        await live._app.StartAsync();
        live.Url = live._app.Address() + "graphql";
        return live;
    }

    /// <summary>Sends the change to every subscriber watching its product (or all products).</summary>
    public int Publish(ProductChange change)
    {
        Subscriber[] targets;
        lock (_sync)
        {
            targets = [.. _subscribers.Where(s => s.Upc is null || s.Upc == change.Upc)];
        }

        foreach (var target in targets)
        {
            target.Observer.OnNext(change);
        }

        return targets.Length;
    }

    /// <summary>Ends every open subscription from the subgraph's side.</summary>
    public void CompleteAll()
    {
        Subscriber[] targets;
        lock (_sync)
        {
            targets = [.. _subscribers];
        }

        foreach (var target in targets)
        {
            target.Observer.OnCompleted();
        }
    }

    /// <summary>Waits (at most 15 s) until the condition holds; re-checked whenever a subscription opens or ends.</summary>
    public async Task WaitUntilAsync(Func<LiveSubgraph, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition(this))
        {
            Task changed;
            lock (_sync)
            {
                changed = _changed.Task;
            }

            if (condition(this))
            {
                return;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || await Task.WhenAny(changed, Task.Delay(left)) != changed)
            {
                throw new TimeoutException($"The live subgraph never saw: {what} (active {Active}, unsubscribed {Unsubscribed}).");
            }
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        Requests.Enqueue(new HeaderDictionary(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value)));
        var body = (await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted))!;
        var result = await new DocumentExecuter().ExecuteAsync(options =>
        {
            options.Schema = _schema;
            options.Query = body["query"]!.GetValue<string>();
            options.Variables = body["variables"] is JsonObject variables ? Serializer.Deserialize<Inputs>(variables.ToJsonString()) : null;
            options.CancellationToken = context.RequestAborted;
        });
        if (result.Streams is not { Count: 1 } streams)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(Serializer.Serialize(result), context.RequestAborted);
            return;
        }

        context.Response.ContentType = "text/event-stream";
        await context.Response.StartAsync(context.RequestAborted);
        var events = Channel.CreateUnbounded<ExecutionResult>();
        using var subscription = streams.Values.Single().Subscribe(new ChannelObserver(events.Writer));
        try
        {
            await foreach (var next in events.Reader.ReadAllAsync(context.RequestAborted))
            {
                await context.Response.WriteAsync($"event: next\ndata: {Serializer.Serialize(next)}\n\n", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }

            await context.Response.WriteAsync("event: complete\ndata:\n\n", context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The gateway closed the stream: disposing the subscription unsubscribes.
        }
    }

    private IDisposable Add(Subscriber subscriber)
    {
        lock (_sync)
        {
            _subscribers.Add(subscriber);
            Pulse();
        }

        return new Unsubscriber(this, subscriber);
    }

    private void Remove(Subscriber subscriber)
    {
        lock (_sync)
        {
            if (_subscribers.Remove(subscriber))
            {
                Interlocked.Increment(ref _unsubscribed);
                Pulse();
            }
        }
    }

    private void Pulse() => Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    private static GraphQL.Types.Schema BuildSchema(LiveSubgraph live)
    {
        var product = new ObjectGraphType { Name = "Product" };
        product.Field<NonNullGraphType<StringGraphType>>("upc").Resolve(c => ((ProductChange)c.Source!).Upc);

        var change = new ObjectGraphType { Name = "ProductChange" };
        change.Field<NonNullGraphType<IntGraphType>>("sequence").Resolve(c => ((ProductChange)c.Source!).Sequence);
        change.Field<StringGraphType>("note").Resolve(c => ((ProductChange)c.Source!).Note is "fail"
            ? throw new ExecutionError("The note could not be read.") { Code = "NOTE_FAILED" }
            : ((ProductChange)c.Source!).Note);
        change.Field<StringGraphType>("watcherNote").Resolve(c => "seen by " + (((ProductChange)c.Source!).Sequence));
        change.Field("product", new NonNullGraphType(product)).Resolve(c => c.Source);

        var query = new ObjectGraphType { Name = "Query" };
        query.Field<NonNullGraphType<StringGraphType>>("liveStatus").Resolve(_ => "live");

        var subscription = new ObjectGraphType { Name = "Subscription" };
        subscription.Field("productChanged", new NonNullGraphType(change))
            .Argument<StringGraphType>("upc")
            .ResolveStream(c => new Source(live, c.GetArgument<string?>("upc")));

        return new GraphQL.Types.Schema { Query = query, Subscription = subscription };
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private sealed record Subscriber(string? Upc, IObserver<object?> Observer);

    private sealed class Source(LiveSubgraph live, string? upc) : IObservable<object?>
    {
        public IDisposable Subscribe(IObserver<object?> observer) => live.Add(new Subscriber(upc, observer));
    }

    private sealed class Unsubscriber(LiveSubgraph live, Subscriber subscriber) : IDisposable
    {
        public void Dispose() => live.Remove(subscriber);
    }

    private sealed class ChannelObserver(ChannelWriter<ExecutionResult> writer) : IObserver<ExecutionResult>
    {
        public void OnCompleted() => writer.TryComplete();

        public void OnError(Exception error) => writer.TryComplete(error);

        public void OnNext(ExecutionResult value) => writer.TryWrite(value);
    }
}
