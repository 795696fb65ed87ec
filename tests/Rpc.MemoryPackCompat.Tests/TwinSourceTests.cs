namespace Compat;

public sealed class TwinSourceTests
{
    [Fact]
    public void The_Rpc_twins_are_the_MemoryPack_twins_with_Rpc_names()
    {
        string directory = TwinSource.Directory();
        string expected = TwinSource.Translate(File.ReadAllText(Path.Combine(directory, "MemoryPackTwins.cs")));
        string rpcPath = Path.Combine(directory, "RpcTwins.cs");
        if (Environment.GetEnvironmentVariable("RPC_ACCEPT_TWINS") == "1")
        {
            File.WriteAllText(rpcPath, expected);
        }
        Assert.Equal(expected, File.ReadAllText(rpcPath));
    }

    [Fact]
    public void Both_catalogues_list_the_same_shapes_in_the_same_order()
    {
        Assert.Equal(MemoryPackTwins.Catalogue.Cases.Select(c => c.Name), RpcTwins.Catalogue.Cases.Select(c => c.Name));
        Assert.Equal(MemoryPackTwins.Catalogue.Evolutions, RpcTwins.Catalogue.Evolutions);
    }
}
