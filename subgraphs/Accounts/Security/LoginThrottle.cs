using System.Net;
using System.Security.Cryptography;
using System.Text;
using GraphQL;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Accounts.Security;

public sealed class LoginThrottleOptions
{
    public const string Section = "LoginThrottle";

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Attempts on one email within the window; guessing one account's password.</summary>
    public int PerAccount { get; set; } = 10;

    /// <summary>Attempts from one client address within the window; trying one password on many accounts.</summary>
    public int PerAddress { get; set; } = 100;
}

/// <summary>A counted attempt; <see cref="LoginThrottle.ForgetAsync"/> takes a successful one back out of the count.</summary>
public sealed record LoginAttempt(RedisKey AccountKey, RedisKey AddressKey, string Member);

/// <summary>A login refused by the throttle; answered as a GraphQL error with code RATE_LIMITED.</summary>
public sealed class RateLimitedError(int retryAfterSeconds)
    : ExecutionError($"Too many login attempts. Try again in {retryAfterSeconds} seconds.")
{
    public const string ErrorCode = "RATE_LIMITED";

    public int RetryAfterSeconds { get; } = retryAfterSeconds;
}

/// <summary>
/// Sliding-window login limits per account and per client address, kept in Redis so every accounts replica
/// counts the same attempts: one sorted set per key, scored by time. The check and the count happen in one
/// script, so concurrent attempts cannot slip past the limit together. Only failed attempts stay counted.
/// </summary>
public sealed class LoginThrottle(IConnectionMultiplexer redis, IOptions<LoginThrottleOptions> options, TimeProvider clock)
{
    public const string UnavailableCode = "SERVICE_UNAVAILABLE";

    // Returns 0 when the attempt is counted, else the milliseconds until the oldest attempt leaves the full window.
    private static readonly LuaScript Acquire = LuaScript.Prepare("""
        local retry = 0
        local keys = { @accountKey, @addressKey }
        local limits = { tonumber(@accountLimit), tonumber(@addressLimit) }
        for i = 1, 2 do
          redis.call('ZREMRANGEBYSCORE', keys[i], '-inf', tonumber(@now) - tonumber(@window))
          if redis.call('ZCARD', keys[i]) >= limits[i] then
            local oldest = redis.call('ZRANGE', keys[i], 0, 0, 'WITHSCORES')
            retry = math.max(retry, tonumber(oldest[2]) + tonumber(@window) - tonumber(@now))
          end
        end
        if retry > 0 then return retry end
        for i = 1, 2 do
          redis.call('ZADD', keys[i], @now, @member)
          redis.call('PEXPIRE', keys[i], @window)
        end
        return 0
        """);

    /// <summary>Counts the attempt, or throws <see cref="RateLimitedError"/> when either limit is reached.</summary>
    public async Task<LoginAttempt> AcquireAsync(string email, IPAddress address, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        // The {login} hash tag keeps both keys in one Redis Cluster slot, which a script touching both needs.
        var attempt = new LoginAttempt(
            $"accounts:{{login}}:account:{AccountDigest(email)}",
            $"accounts:{{login}}:address:{address}",
            Guid.NewGuid().ToString("N"));
        long retryMilliseconds;
        try
        {
            retryMilliseconds = (long)await Database().ScriptEvaluateAsync(Acquire, new
            {
                accountKey = attempt.AccountKey,
                addressKey = attempt.AddressKey,
                accountLimit = limits.PerAccount,
                addressLimit = limits.PerAddress,
                now = clock.GetUtcNow().ToUnixTimeMilliseconds(),
                window = (long)limits.Window.TotalMilliseconds,
                member = attempt.Member,
            }).WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Fail closed: without the shared count the limit cannot hold, and open sessions keep working
            // through refreshSession, which needs no Redis. See docs/architecture.md "Security".
            throw new ExecutionError("Sign-in is temporarily unavailable. Try again shortly.", ex) { Code = UnavailableCode };
        }
        if (retryMilliseconds > 0)
            throw new RateLimitedError((int)Math.Ceiling(retryMilliseconds / 1000.0)) { Code = RateLimitedError.ErrorCode };
        return attempt;
    }

    public async Task ForgetAsync(LoginAttempt attempt)
    {
        var batch = Database().CreateBatch();
        var removals = new[] { batch.SortedSetRemoveAsync(attempt.AccountKey, attempt.Member), batch.SortedSetRemoveAsync(attempt.AddressKey, attempt.Member) };
        batch.Execute();
        try
        {
            await Task.WhenAll(removals);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The sign-in succeeded; leaving it counted as an attempt only tightens the limit until the window passes.
        }
    }

    /// <summary>The account part of the key, also logged in place of the email: SHA-256 of the normalized email, hex.</summary>
    public static string AccountDigest(string email) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(email)));

    private IDatabase Database() => redis.GetDatabase();
}
