namespace Rpc.LoadTest.Contracts;

/// <summary>The payload all contenders exchange, so that they do the same work.</summary>
public static class Payload
{
    /// <summary>The 32-char request text.</summary>
    public const string Text = "0123456789abcdefghijklmnopqrstuv";

    /// <summary>What the server puts in front of the request text: 8 chars, so the reply is 40.</summary>
    public const string ReplyPrefix = "answer: ";

    /// <summary>The length every reply must have.</summary>
    public const int ReplyLength = 40;

    /// <summary>The reply to <paramref name="text"/>: a new 40-char string, as a real service would build.</summary>
    public static string Reply(string text) => string.Concat(ReplyPrefix, text);
}
