namespace Tether.Install;

/// <summary>
/// Looks a user up in the text of <c>/etc/passwd</c> (<c>name:x:uid:gid:gecos:home:shell</c>), so
/// <c>--user NAME</c> can be checked against the config it must read. Users only a directory
/// service knows (LDAP, sssd) are not found.
/// </summary>
/// <remarks>Thread-safe: stateless.</remarks>
internal static class PasswdFile
{
    public static bool TryFind(string passwdText, string name, out uint uid, out uint gid)
    {
        ArgumentNullException.ThrowIfNull(passwdText);
        foreach (string line in passwdText.Split('\n'))
        {
            string[] fields = line.TrimEnd('\r').Split(':');
            if (fields.Length >= 4 && fields[0] == name
                && uint.TryParse(fields[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out uid)
                && uint.TryParse(fields[3], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out gid))
            {
                return true;
            }
        }

        uid = 0;
        gid = 0;
        return false;
    }
}
