[assembly: TestFramework("Federation.Testing.Fixtures.FederationTestFramework", "Federation.Testing")]
