# Test double of Resolve-DnsName (DnsClient module, Windows-only): answers from the "dns" map of the fixture named
# by $env:SCOMFW_OM_FIXTURE, so tests make no DNS query. Output objects carry Name, Type and IPAddress like the
# A/AAAA records of https://learn.microsoft.com/en-us/powershell/module/dnsclient/resolve-dnsname.
Set-StrictMode -Version 2.0
$script:dns = (Get-Content -Raw -Path $env:SCOMFW_OM_FIXTURE | ConvertFrom-Json).dns

function Resolve-DnsName { [CmdletBinding()] param([Parameter(Mandatory = $true, Position = 0)] [string] $Name, [string] $Type)
  $p = $script:dns.PSObject.Properties[$Name.ToLowerInvariant()]
  if ($null -eq $p) { throw "${Name} : DNS name does not exist" }
  foreach ($a in @($p.Value)) {
    $t = 'A'
    if ($a -like '*:*') { $t = 'AAAA' }
    [pscustomobject] @{ Name = $Name; Type = $t; IPAddress = $a }
  }
}
Export-ModuleMember -Function Resolve-DnsName
