package org.o365audit.collect;

import java.util.Locale;
import java.util.Map;

/**
 * The Microsoft 365 app an audit record belongs to, from its Workload, or from its RecordType when the
 * Workload is missing or too generic. Anything unknown keeps the Workload's own name.
 */
public final class AppNames {
    private static final Map<String, String> BY_WORKLOAD = Map.ofEntries(
            Map.entry("azureactivedirectory", "Azure AD"),
            Map.entry("exchange", "Exchange"),
            Map.entry("sharepoint", "SharePoint"),
            Map.entry("onedrive", "OneDrive"),
            Map.entry("microsoftteams", "Teams"),
            Map.entry("powerbi", "Power BI"),
            Map.entry("crm", "Dynamics 365"),
            Map.entry("dynamics365", "Dynamics 365"),
            Map.entry("microsoftflow", "Power Automate"),
            Map.entry("powerapps", "PowerApps"),
            Map.entry("yammer", "Yammer"),
            Map.entry("vivaengage", "Yammer"),
            Map.entry("skypeforbusiness", "Skype"),
            Map.entry("lync", "Skype"),
            Map.entry("microsoftforms", "Forms"),
            Map.entry("sway", "Sway"),
            Map.entry("microsoftstream", "Stream"),
            Map.entry("securitycompliancecenter", "Security & Compliance"),
            Map.entry("threatintelligence", "Defender for Office 365"),
            Map.entry("aip", "Information Protection"),
            Map.entry("copilot", "Copilot"),
            Map.entry("endpoint", "Endpoint DLP"),
            Map.entry("project", "Project"),
            Map.entry("planner", "Planner"),
            Map.entry("microsofttodo", "To Do"),
            Map.entry("kaizala", "Kaizala"));

    private static final Map<Integer, String> BY_RECORD_TYPE = Map.ofEntries(
            Map.entry(1, "Exchange"), Map.entry(2, "Exchange"), Map.entry(3, "Exchange"), Map.entry(19, "Exchange"),
            Map.entry(29, "Exchange"), Map.entry(50, "Exchange"), Map.entry(154, "Exchange"),
            Map.entry(4, "SharePoint"), Map.entry(6, "SharePoint"), Map.entry(14, "SharePoint"), Map.entry(36, "SharePoint"),
            Map.entry(37, "SharePoint"), Map.entry(54, "SharePoint"), Map.entry(55, "SharePoint"), Map.entry(56, "SharePoint"),
            Map.entry(7, "OneDrive"),
            Map.entry(8, "Azure AD"), Map.entry(9, "Azure AD"), Map.entry(15, "Azure AD"),
            Map.entry(11, "DLP"), Map.entry(13, "DLP"), Map.entry(33, "DLP"), Map.entry(63, "Endpoint DLP"),
            Map.entry(20, "Power BI"), Map.entry(21, "Dynamics 365"), Map.entry(22, "Yammer"),
            Map.entry(25, "Teams"), Map.entry(57, "Teams"), Map.entry(59, "Teams"), Map.entry(60, "Teams"),
            Map.entry(30, "Power Automate"), Map.entry(45, "PowerApps"), Map.entry(46, "PowerApps"), Map.entry(79, "PowerApps"),
            Map.entry(66, "Forms"), Map.entry(32, "Stream"), Map.entry(12, "Sway"),
            Map.entry(16, "Skype"), Map.entry(17, "Skype"), Map.entry(23, "Skype"),
            Map.entry(261, "Copilot"), Map.entry(93, "Information Protection"), Map.entry(94, "Information Protection"),
            Map.entry(95, "Information Protection"), Map.entry(96, "Information Protection"), Map.entry(97, "Information Protection"));

    private AppNames() {
    }

    public static String of(String workload, Integer recordType) {
        if (workload != null && !workload.isBlank()) {
            String app = BY_WORKLOAD.get(workload.replace(" ", "").toLowerCase(Locale.ROOT));
            if (app != null) {
                // OneDrive events are SharePoint-based and often say Workload SharePoint with RecordType 7
                return "SharePoint".equals(app) && recordType != null && recordType == 7 ? "OneDrive" : app;
            }
        }
        if (recordType != null && BY_RECORD_TYPE.containsKey(recordType)) {
            return BY_RECORD_TYPE.get(recordType);
        }
        return workload == null || workload.isBlank() ? "Unknown" : workload;
    }
}
