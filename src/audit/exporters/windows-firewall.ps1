<#
.SYNOPSIS
    Exports this computer's inbound Windows Firewall policy as JSON for `scomfw audit`. Read-only.
.DESCRIPTION
    Writes the rules of the ActiveStore (the policy in force: local rules merged with Group Policy), each joined
    with its port, address, application, service, interface, interface type and security filters, the three
    profiles' state and default inbound action, and the network category of each connected interface (which
    profile is active). Only Get- cmdlets of the NetSecurity and NetConnection modules are called; nothing changes.
    Runs on Windows PowerShell 5.1 and PowerShell 7.
.PARAMETER Path
    The JSON file to write (UTF-8 without BOM). Without it the JSON goes to the output stream.
.EXAMPLE
    powershell -NoProfile -ExecutionPolicy Bypass -File .\windows-firewall.ps1 -Path "$env:COMPUTERNAME.json"
#>
[CmdletBinding()]
param(
    [string]$Path = ''
)

Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'

# Filters are fetched once each and joined to their rule by InstanceID: asking per rule
# (-AssociatedNetFirewallRule) costs a CIM round trip per rule and takes minutes on hosts with thousands of rules.
function Get-FilterIndex {
    param([object[]]$Filters)
    $index = @{}
    foreach ($filter in $Filters) {
        if ($null -ne $filter) {
            $index[[string]$filter.InstanceID] = $filter
        }
    }
    return $index
}

# Every multi-valued filter property as a list of strings, whatever PowerShell handed back (one value or many).
function ConvertTo-StringList {
    param([object]$Value)
    $list = New-Object System.Collections.Generic.List[string]
    if ($null -eq $Value) {
        return ,$list.ToArray()
    }
    foreach ($item in @($Value)) {
        $list.Add([string]$item)
    }
    return ,$list.ToArray()
}

function Get-FilterProperty {
    param([hashtable]$Index, [string]$Id, [string]$Property)
    if (-not $Index.ContainsKey($Id)) {
        return $null
    }
    $filter = $Index[$Id]
    if ($null -eq $filter.PSObject.Properties[$Property]) {
        return $null
    }
    return $filter.$Property
}

$store = 'ActiveStore'
$rules = @(Get-NetFirewallRule -PolicyStore $store -Direction Inbound)
$ports = Get-FilterIndex -Filters @(Get-NetFirewallPortFilter -All -PolicyStore $store)
$addresses = Get-FilterIndex -Filters @(Get-NetFirewallAddressFilter -All -PolicyStore $store)
$applications = Get-FilterIndex -Filters @(Get-NetFirewallApplicationFilter -All -PolicyStore $store)
$services = Get-FilterIndex -Filters @(Get-NetFirewallServiceFilter -All -PolicyStore $store)
$interfaces = Get-FilterIndex -Filters @(Get-NetFirewallInterfaceFilter -All -PolicyStore $store)
$interfaceTypes = Get-FilterIndex -Filters @(Get-NetFirewallInterfaceTypeFilter -All -PolicyStore $store)
$securities = Get-FilterIndex -Filters @(Get-NetFirewallSecurityFilter -All -PolicyStore $store)

$ruleList = New-Object System.Collections.Generic.List[object]
foreach ($rule in $rules) {
    $id = [string]$rule.InstanceID
    $ruleList.Add([ordered]@{
        Name                = [string]$rule.Name
        DisplayName         = [string]$rule.DisplayName
        Group               = [string]$rule.Group
        Enabled             = [string]$rule.Enabled
        Direction           = [string]$rule.Direction
        Action              = [string]$rule.Action
        Profile             = [string]$rule.Profile
        EdgeTraversalPolicy = [string]$rule.EdgeTraversalPolicy
        PrimaryStatus       = [string]$rule.PrimaryStatus
        PolicyStoreSource   = [string]$rule.PolicyStoreSource
        Protocol            = [string](Get-FilterProperty -Index $ports -Id $id -Property 'Protocol')
        LocalPort           = ConvertTo-StringList (Get-FilterProperty -Index $ports -Id $id -Property 'LocalPort')
        RemotePort          = ConvertTo-StringList (Get-FilterProperty -Index $ports -Id $id -Property 'RemotePort')
        IcmpType            = ConvertTo-StringList (Get-FilterProperty -Index $ports -Id $id -Property 'IcmpType')
        LocalAddress        = ConvertTo-StringList (Get-FilterProperty -Index $addresses -Id $id -Property 'LocalAddress')
        RemoteAddress       = ConvertTo-StringList (Get-FilterProperty -Index $addresses -Id $id -Property 'RemoteAddress')
        Program             = [string](Get-FilterProperty -Index $applications -Id $id -Property 'Program')
        Package             = [string](Get-FilterProperty -Index $applications -Id $id -Property 'Package')
        Service             = [string](Get-FilterProperty -Index $services -Id $id -Property 'Service')
        InterfaceAlias      = ConvertTo-StringList (Get-FilterProperty -Index $interfaces -Id $id -Property 'InterfaceAlias')
        InterfaceType       = [string](Get-FilterProperty -Index $interfaceTypes -Id $id -Property 'InterfaceType')
        Authentication      = [string](Get-FilterProperty -Index $securities -Id $id -Property 'Authentication')
        Encryption          = [string](Get-FilterProperty -Index $securities -Id $id -Property 'Encryption')
        OverrideBlockRules  = [string](Get-FilterProperty -Index $securities -Id $id -Property 'OverrideBlockRules')
    })
}

$profileList = New-Object System.Collections.Generic.List[object]
foreach ($p in @(Get-NetFirewallProfile -PolicyStore $store)) {
    $profileList.Add([ordered]@{
        Name                 = [string]$p.Name
        Enabled              = [string]$p.Enabled
        DefaultInboundAction = [string]$p.DefaultInboundAction
    })
}

$connectionList = New-Object System.Collections.Generic.List[object]
# A host with no connected network has no connection profile; that is an answer, not an error.
foreach ($c in @(Get-NetConnectionProfile -ErrorAction SilentlyContinue)) {
    $connectionList.Add([ordered]@{
        InterfaceAlias  = [string]$c.InterfaceAlias
        NetworkCategory = [string]$c.NetworkCategory
    })
}

$export = [ordered]@{
    format       = 'scomfw-windows-firewall'
    version      = 1
    computerName = [string]$env:COMPUTERNAME
    exportedAt   = (Get-Date).ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ')
    profiles     = $profileList.ToArray()
    connections  = $connectionList.ToArray()
    rules        = $ruleList.ToArray()
}

$json = ConvertTo-Json -InputObject $export -Depth 6
if ($Path -eq '') {
    Write-Output $json
}
else {
    $full = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
    [System.IO.File]::WriteAllText($full, $json, (New-Object System.Text.UTF8Encoding -ArgumentList $false))
    Write-Host ('Wrote {0} inbound rules to {1}' -f $ruleList.Count, $full)
}
