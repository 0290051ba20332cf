# A minimal test double of the Get- cmdlets of Windows' NetSecurity and NetConnection modules that
# src/audit/exporters/windows-firewall.ps1 calls, for running that script under pwsh on Linux. Parameter and
# property names are Microsoft's:
#   https://learn.microsoft.com/powershell/module/netsecurity/get-netfirewallrule
#   https://learn.microsoft.com/powershell/module/netsecurity/get-netfirewallportfilter
#   https://learn.microsoft.com/powershell/module/netsecurity/get-netfirewalladdressfilter
#   https://learn.microsoft.com/powershell/module/netsecurity/get-netfirewallapplicationfilter
#   https://learn.microsoft.com/powershell/module/netsecurity/get-netfirewallservicefilter
#   https://learn.microsoft.com/powershell/module/netsecurity/get-netfirewallinterfacefilter
#   https://learn.microsoft.com/powershell/module/netsecurity/get-netfirewallinterfacetypefilter
#   https://learn.microsoft.com/powershell/module/netsecurity/get-netfirewallsecurityfilter
#   https://learn.microsoft.com/powershell/module/netsecurity/get-netfirewallprofile
#   https://learn.microsoft.com/powershell/module/netconnection/get-netconnectionprofile
#   https://learn.microsoft.com/windows/win32/fwp/wmi/wfascimprov/msft-netfirewallrule (and the filter classes)
# The host's state comes from the JSON file named by $env:SCOMFW_FIREWALL_DOUBLE: { rules: [ { every rule and
# filter property } ], profiles: [...], connections: [...] }. Every call is appended to $env:SCOMFW_FIREWALL_CALLS
# so a test can prove the exporter only reads. Only the parameter sets the exporter uses are implemented; any
# other parameter is refused by parameter binding, as the real cmdlets refuse parameters they do not have.

Set-StrictMode -Version 2.0

function Read-DoubleState {
    $path = $env:SCOMFW_FIREWALL_DOUBLE
    if ([string]::IsNullOrEmpty($path)) { throw 'SCOMFW_FIREWALL_DOUBLE is not set' }
    return (Get-Content -LiteralPath $path -Raw | ConvertFrom-Json)
}

function Write-DoubleCall {
    param([string]$Name, [hashtable]$Bound)
    $log = $env:SCOMFW_FIREWALL_CALLS
    if ([string]::IsNullOrEmpty($log)) { return }
    $parts = @($Name)
    foreach ($key in ($Bound.Keys | Sort-Object)) { $parts += ('-{0} {1}' -f $key, $Bound[$key]) }
    Add-Content -LiteralPath $log -Value ($parts -join ' ')
}

function Assert-Store {
    param([string]$PolicyStore)
    if ($PolicyStore -ne 'ActiveStore' -and $PolicyStore -ne 'PersistentStore') {
        throw ('The double knows the ActiveStore and PersistentStore only, not {0}' -f $PolicyStore)
    }
}

function New-Filter {
    param([object]$Rule, [string[]]$Properties)
    $o = [ordered]@{ InstanceID = [string]$Rule.Name }
    foreach ($p in $Properties) {
        if ($null -ne $Rule.PSObject.Properties[$p]) { $o[$p] = $Rule.$p } else { $o[$p] = $null }
    }
    return [pscustomobject]$o
}

function Get-NetFirewallRule {
    [CmdletBinding()]
    param(
        [string]$PolicyStore = 'PersistentStore',
        [ValidateSet('Inbound', 'Outbound')][string[]]$Direction,
        [switch]$All
    )
    Write-DoubleCall 'Get-NetFirewallRule' $PSBoundParameters
    Assert-Store $PolicyStore
    foreach ($r in @((Read-DoubleState).rules)) {
        if ($null -ne $Direction -and $Direction -notcontains [string]$r.Direction) { continue }
        [pscustomobject][ordered]@{
            Name                = [string]$r.Name
            InstanceID          = [string]$r.Name
            DisplayName         = [string]$r.DisplayName
            Group               = $r.Group
            Enabled             = [string]$r.Enabled
            Direction           = [string]$r.Direction
            Action              = [string]$r.Action
            Profile             = [string]$r.Profile
            EdgeTraversalPolicy = [string]$r.EdgeTraversalPolicy
            PrimaryStatus       = 'OK'
            PolicyStoreSource   = 'PersistentStore'
        }
    }
}

function Get-NetFirewallFilterDouble {
    param([string]$Cmdlet, [hashtable]$Bound, [string]$PolicyStore, [string[]]$Properties)
    Write-DoubleCall $Cmdlet $Bound
    Assert-Store $PolicyStore
    foreach ($r in @((Read-DoubleState).rules)) { New-Filter -Rule $r -Properties $Properties }
}

function Get-NetFirewallPortFilter {
    [CmdletBinding()]
    param([switch]$All, [string]$PolicyStore = 'PersistentStore')
    Get-NetFirewallFilterDouble 'Get-NetFirewallPortFilter' $PSBoundParameters $PolicyStore @('Protocol', 'LocalPort', 'RemotePort', 'IcmpType', 'DynamicTarget')
}

function Get-NetFirewallAddressFilter {
    [CmdletBinding()]
    param([switch]$All, [string]$PolicyStore = 'PersistentStore')
    Get-NetFirewallFilterDouble 'Get-NetFirewallAddressFilter' $PSBoundParameters $PolicyStore @('LocalAddress', 'RemoteAddress', 'LocalIP', 'RemoteIP')
}

function Get-NetFirewallApplicationFilter {
    [CmdletBinding()]
    param([switch]$All, [string]$PolicyStore = 'PersistentStore')
    Get-NetFirewallFilterDouble 'Get-NetFirewallApplicationFilter' $PSBoundParameters $PolicyStore @('Program', 'Package')
}

function Get-NetFirewallServiceFilter {
    [CmdletBinding()]
    param([switch]$All, [string]$PolicyStore = 'PersistentStore')
    Get-NetFirewallFilterDouble 'Get-NetFirewallServiceFilter' $PSBoundParameters $PolicyStore @('Service')
}

function Get-NetFirewallInterfaceFilter {
    [CmdletBinding()]
    param([switch]$All, [string]$PolicyStore = 'PersistentStore')
    Get-NetFirewallFilterDouble 'Get-NetFirewallInterfaceFilter' $PSBoundParameters $PolicyStore @('InterfaceAlias')
}

function Get-NetFirewallInterfaceTypeFilter {
    [CmdletBinding()]
    param([switch]$All, [string]$PolicyStore = 'PersistentStore')
    Get-NetFirewallFilterDouble 'Get-NetFirewallInterfaceTypeFilter' $PSBoundParameters $PolicyStore @('InterfaceType')
}

function Get-NetFirewallSecurityFilter {
    [CmdletBinding()]
    param([switch]$All, [string]$PolicyStore = 'PersistentStore')
    Get-NetFirewallFilterDouble 'Get-NetFirewallSecurityFilter' $PSBoundParameters $PolicyStore @('Authentication', 'Encryption', 'OverrideBlockRules', 'LocalUser', 'RemoteUser', 'RemoteMachine')
}

function Get-NetFirewallProfile {
    [CmdletBinding()]
    param([string[]]$Name, [switch]$All, [string]$PolicyStore = 'PersistentStore')
    Write-DoubleCall 'Get-NetFirewallProfile' $PSBoundParameters
    Assert-Store $PolicyStore
    foreach ($p in @((Read-DoubleState).profiles)) { [pscustomobject][ordered]@{ Name = $p.Name; Enabled = $p.Enabled; DefaultInboundAction = $p.DefaultInboundAction; DefaultOutboundAction = 'NotConfigured' } }
}

function Get-NetConnectionProfile {
    [CmdletBinding()]
    param([string[]]$InterfaceAlias)
    Write-DoubleCall 'Get-NetConnectionProfile' $PSBoundParameters
    foreach ($c in @((Read-DoubleState).connections)) { [pscustomobject][ordered]@{ Name = 'network'; InterfaceAlias = $c.InterfaceAlias; NetworkCategory = $c.NetworkCategory; IPv4Connectivity = 'Internet' } }
}

Export-ModuleMember -Function Get-NetFirewallRule, Get-NetFirewallPortFilter, Get-NetFirewallAddressFilter, Get-NetFirewallApplicationFilter, Get-NetFirewallServiceFilter, Get-NetFirewallInterfaceFilter, Get-NetFirewallInterfaceTypeFilter, Get-NetFirewallSecurityFilter, Get-NetFirewallProfile, Get-NetConnectionProfile
