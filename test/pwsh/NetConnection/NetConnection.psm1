<#
A test double of Microsoft's NetConnection module: Get-NetConnectionProfile, which tells which firewall profile
each connected interface is in (the audit's Windows exporter reads it). Parameters and accepted values from
https://learn.microsoft.com/powershell/module/netconnection/get-netconnectionprofile (winserver2019-ps).

The profiles come from the NetSecurity double's store file ($env:NETSECURITY_DOUBLE_STORE), key "connections":
[{ "Name": ..., "InterfaceAlias": ..., "InterfaceIndex": n, "NetworkCategory": "DomainAuthenticated", ... }];
without it, one interface Ethernet in the domain profile. -CimSession and -AsJob are refused.
#>
Set-StrictMode -Version 3.0

$script:Categories = @('Public', 'Private', 'DomainAuthenticated')
$script:Connectivity = @('Disconnected', 'NoTraffic', 'Subnet', 'LocalNetwork', 'Internet')

function Get-NetConnectionProfile {
    [CmdletBinding()]
    param(
        [string[]]$Name,
        [string[]]$InterfaceAlias,
        [uint32[]]$InterfaceIndex,
        [ValidateSet('Public', 'Private', 'DomainAuthenticated')] [string[]]$NetworkCategory,
        [ValidateSet('Disconnected', 'NoTraffic', 'Subnet', 'LocalNetwork', 'Internet')] [string[]]$IPv4Connectivity,
        [ValidateSet('Disconnected', 'NoTraffic', 'Subnet', 'LocalNetwork', 'Internet')] [string[]]$IPv6Connectivity,
        [Alias('Session')] [Microsoft.Management.Infrastructure.CimSession[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    foreach ($unsupported in @('CimSession', 'AsJob')) {
        if ($PSBoundParameters.ContainsKey($unsupported)) { throw [System.NotSupportedException]::new("NetConnection test double: -$unsupported is not supported.") }
    }
    $path = $env:NETSECURITY_DOUBLE_STORE
    $connections = $null
    if (-not [string]::IsNullOrEmpty($path) -and (Test-Path -LiteralPath $path)) {
        $json = [System.IO.File]::ReadAllText($path) | ConvertFrom-Json -AsHashtable
        if ($json.ContainsKey('connections')) { $connections = @($json['connections']) }
    }
    if ($null -eq $connections) {
        $connections = @(@{ Name = 'contoso.com'; InterfaceAlias = 'Ethernet'; InterfaceIndex = 4; NetworkCategory = 'DomainAuthenticated'; IPv4Connectivity = 'Internet'; IPv6Connectivity = 'NoTraffic' })
    }
    foreach ($c in $connections) {
        $keep = $true
        foreach ($filter in @('Name', 'InterfaceAlias', 'InterfaceIndex', 'NetworkCategory', 'IPv4Connectivity', 'IPv6Connectivity')) {
            if ($PSBoundParameters.ContainsKey($filter) -and @($PSBoundParameters[$filter] | Where-Object { [string]$c[$filter] -like [string]$_ }).Count -eq 0) { $keep = $false }
        }
        if (-not $keep) { continue }
        $object = [pscustomobject][ordered]@{
            Name             = $c['Name']
            InterfaceAlias   = $c['InterfaceAlias']
            InterfaceIndex   = [uint32]$c['InterfaceIndex']
            NetworkCategory  = $c['NetworkCategory']
            IPv4Connectivity = $c['IPv4Connectivity']
            IPv6Connectivity = $c['IPv6Connectivity']
        }
        $object.PSObject.TypeNames.Insert(0, 'Microsoft.Management.Infrastructure.CimInstance#root/StandardCimv2/MSFT_NetConnectionProfile')
        $object
    }
}
