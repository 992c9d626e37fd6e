namespace Accounts.Tests;

/// <summary>The session operations the accounts tests send, as a client would write them.</summary>
public static class SessionOperations
{
    public const string Login = """
        mutation Login($input: LoginInput!) {
          login(input: $input) {
            accessToken expiresAt refreshToken refreshTokenExpiresAt
            user { id email }
            errors { code message field }
          }
        }
        """;

    public const string Refresh = """
        mutation Refresh($refreshToken: String!) {
          refreshSession(refreshToken: $refreshToken) {
            accessToken expiresAt refreshToken refreshTokenExpiresAt
            user { id }
            errors { code message field }
          }
        }
        """;

    public const string Logout = """
        mutation Logout($refreshToken: String!) {
          logout(refreshToken: $refreshToken) { revoked errors { code message field } }
        }
        """;

    public const string DemoShopperEmail = "user1@example.com";
    public const string DemoShopperPassword = "Shopper123!";
    public const string DemoAdminEmail = "admin@example.com";
    public const string DemoAdminPassword = "Admin123!";
}
